package org.convcl.cpu;

import java.util.List;
import org.convcl.impl.ConvCall;
import org.convcl.impl.Implementation;
import org.convcl.impl.Pass;
import org.convcl.impl.Settings;
import org.convcl.impl.Tunable;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.Tensor;

/**
 * A convolution lowering of the CPU backend ({@link CpuConvLowering}) as a registered
 * implementation, so the CPU backend's choice per shape is the same data as OpenCL's (its choice
 * table, {@code --impl}, {@code convcl tune}) and the contract suite holds every lowering to the
 * reference. It has no per-call tunables: the GEMM's blocking is the backend's, derived from the
 * cache sizes. Runs hold the backend's GEMM lock, as every GEMM-based op does.
 */
final class CpuImplementation implements Implementation<CpuOps> {
  private final CpuConvLowering lowering;

  CpuImplementation(CpuConvLowering lowering) {
    this.lowering = lowering;
  }

  @Override
  public String name() {
    return lowering.name();
  }

  @Override
  public Pass pass() {
    return switch (lowering.pass()) {
      case FORWARD -> Pass.CONV_FORWARD;
      case BACKWARD_INPUT -> Pass.CONV_BACKWARD_INPUT;
      case BACKWARD_FILTER -> Pass.CONV_BACKWARD_FILTER;
    };
  }

  @Override
  public String summary() {
    return "the " + lowering.name() + " lowering onto the GEMM core";
  }

  @Override
  public List<Tunable> tunables() {
    return List.of();
  }

  @Override
  public String whyNot(CpuOps ops, ConvGeometry g, Settings s) {
    String illegal = illegal(s);
    if (illegal != null) {
      return illegal;
    }
    return lowering.applies(g) ? null : lowering.name() + " does not handle this geometry";
  }

  @Override
  public boolean fusesEpilogue() {
    return lowering.fusesEpilogue();
  }

  @Override
  public void run(CpuOps ops, ConvCall c, Settings s) {
    // ReLU and leaky ReLU are fused; any other activation runs after the product, in place.
    org.convcl.ops.Activation fused = GemmEpilogue.fuses(c.epilogue()) ? c.epilogue() : null;
    ops.runLocked(
        () ->
            lowering.run(
                floats(c.first()),
                floats(c.second()),
                floats(c.bias()),
                floats(c.out()),
                c.geometry(),
                fused));
    if (c.epilogue() != null && fused == null) {
      ops.doActivationForward(c.epilogue(), c.out(), c.out());
    }
  }

  private static float[] floats(Tensor t) {
    return t == null ? null : ((CpuTensor) t).floats();
  }
}
