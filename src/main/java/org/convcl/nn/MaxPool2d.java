package org.convcl.nn;

import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Tensor;

/**
 * Max pooling per channel: output {@code [N][C][outH][outW]}, plus an int argmax of the same shape
 * that routes each gradient back to the input cell its window selected.
 */
public final class MaxPool2d extends Pool2d {
  private final Slot argmax = new Slot();

  public MaxPool2d(PoolParams params) {
    super("maxpool", params);
  }

  @Override
  void pool(Ops ops, Tensor input, Tensor output, PoolGeometry g) {
    ops.maxPoolForward(input, output, argmax.ensure(ops, g.outputShape(), DType.INT32), g);
  }

  @Override
  void unpool(Ops ops, Tensor gradOutput, Tensor gradInput, PoolGeometry g) {
    ops.maxPoolBackward(gradOutput, argmax.ensure(ops, g.outputShape(), DType.INT32), gradInput, g);
  }

  @Override
  public void close() {
    super.close();
    argmax.close();
  }
}
