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
 * ReLU it also applies that activation's backward pass (see {@link #fuseActivationBackward}). Right
 * after a convolution (and its fused activation) it may be fused into that layer (see {@link
 * Conv2d#fuseMaxPool}): the convolution then writes this layer's output and argmax and takes its
 * gradient, and this layer passes both through.
 */
public final class MaxPool2d extends Pool2d {
  private final Slot argmax = new Slot();
  private Activation fusedDerivative;
  private boolean inConv;

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

  /** Whether the convolution before computes this pooling (see the class comment). */
  public boolean inConv() {
    return inConv;
  }

  /** Called by {@link Conv2d#fuseMaxPool} once the convolution has taken this pooling over. */
  void fusedIntoConv() {
    inConv = true;
  }

  /** The output tensor the fused convolution writes for {@code g}'s batch. */
  Tensor pooledFor(Ops ops, PoolGeometry g) {
    return output.ensure(ops, g.outputShape());
  }

  /** The argmax tensor the fused convolution writes for {@code g}'s batch. */
  Tensor argmaxFor(Ops ops, PoolGeometry g) {
    return argmax.ensure(ops, g.outputShape(), DType.INT32);
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    return inConv ? input : super.forward(ops, input, training);
  }

  @Override
  public Tensor backward(Ops ops, Tensor gradOutput) {
    return inConv ? gradOutput : super.backward(ops, gradOutput);
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
