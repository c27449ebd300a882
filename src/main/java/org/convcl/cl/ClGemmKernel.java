package org.convcl.cl;

import java.util.List;
import org.convcl.impl.ConvCall;
import org.convcl.impl.Implementation;
import org.convcl.impl.Pass;
import org.convcl.impl.Settings;
import org.convcl.impl.Tunable;
import org.convcl.tensor.ConvGeometry;

/**
 * One pass of opencl/conv_igemm.cl (the tiled implicit GEMMs, {@link ConvGemmKernels}) as a
 * registered implementation: its tunables are the GEMM's tile, work-group and vector sizes, and it
 * applies wherever {@link ConvGemmKernels#rejection} finds nothing against a setting on the device.
 */
final class ClGemmKernel implements Implementation<ClOps> {
  private final Pass pass;
  private final ConvGemmKernels.Pass gemmPass;
  private final String name;

  ClGemmKernel(Pass pass, ConvGemmKernels.Pass gemmPass, String name) {
    this.pass = pass;
    this.gemmPass = gemmPass;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Pass pass() {
    return pass;
  }

  @Override
  public String summary() {
    return "tiled implicit GEMM: MWG x NWG tiles of both operands in local memory, register blocks";
  }

  @Override
  public List<Tunable> tunables() {
    return ConvGemmKernels.tunables(gemmPass);
  }

  @Override
  public String whyNot(ClOps ops, ConvGeometry g, Settings s) {
    String illegal = illegal(s);
    return illegal != null
        ? illegal
        : ConvGemmKernels.rejection(gemmPass, g, ops.device(), s.values()).orElse(null);
  }

  @Override
  public void run(ClOps ops, ConvCall c, Settings s) {
    ConvGeometry g = c.geometry();
    switch (pass) {
      case CONV_FORWARD ->
          ConvGemmKernels.forward(
              ops, c.first(), c.second(), c.bias(), c.out(), g, c.epilogue(), s.values());
      case CONV_BACKWARD_INPUT ->
          ConvGemmKernels.backwardInput(ops, c.first(), c.second(), c.out(), g, s.values());
      case CONV_BACKWARD_FILTER ->
          ConvGemmKernels.backwardFilter(ops, c.first(), c.second(), c.out(), g, s.values());
    }
  }

  /** The forward GEMM applies the epilogue in its store (common.cl EPILOGUE). */
  @Override
  public boolean fusesEpilogue() {
    return pass == Pass.CONV_FORWARD;
  }

  @Override
  public String sourceHash(ClOps ops) {
    return ClConvKernel.programHash(ConvGemmKernels.FILE);
  }
}
