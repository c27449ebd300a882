package org.convcl.nn;

import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Require;
import org.convcl.tensor.Tensor;

/**
 * Max pooling per channel: output {@code [N][C][outH][outW]}, plus an int argmax of the same shape
 * that routes each gradient back to the input cell its window selected. Right after a ReLU or leaky
 * ReLU it also applies that activation's backward pass (see {@link #fuseActivationBackward}).
 */
public final class MaxPool2d extends Pool2d {
  private final Slot argmax = new Slot();
  private Activation fusedDerivative;

  public MaxPool2d(PoolParams params) {
    super("maxpool", params);
  }

  @Override
  void pool(Ops ops, Tensor input, Tensor output, PoolGeometry g) {
    ops.maxPoolForward(input, output, argmax.ensure(ops, g.outputShape(), DType.INT32), g);
  }

  /**
   * The activation whose backward pass this pool's backward applies (see {@link
   * #fuseActivationBackward}), or null.
   */
  public Activation fusedDerivative() {
    return fusedDerivative;
  }

  /**
   * Called by {@link Sequential#build} when the activation right before this pool hands its
   * backward pass over: the upsample then multiplies each gradient by f' read from the pooled
   * output (at a window's argmax the activated input is that value), and the activation layer
   * passes the gradient through, one sweep of the unpooled tensor fewer.
   */
  void fuseActivationBackward(Activation f) {
    Require.that(
        f.derivableFromOutput(),
        "activation fused into max-pool backward",
        f,
        "must have its derivative readable from its output (ReLU, leaky ReLU with slope >= 0)");
    fusedDerivative = f;
  }

  @Override
  void unpool(Ops ops, Tensor gradOutput, Tensor gradInput, PoolGeometry g) {
    Tensor idx = argmax.ensure(ops, g.outputShape(), DType.INT32);
    Tensor pooled = fusedDerivative == null ? null : output.ensure(ops, g.outputShape());
    ops.maxPoolBackward(gradOutput, idx, gradInput, g, fusedDerivative, pooled);
  }

  @Override
  public void close() {
    super.close();
    argmax.close();
  }
}
