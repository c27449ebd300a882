package org.convcl.nn;

import org.convcl.ops.Ops;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Tensor;

/** Average pooling per channel: output {@code [N][C][outH][outW]}. */
public final class AvgPool2d extends Pool2d {
  public AvgPool2d(PoolParams params) {
    super("avgpool", params);
  }

  @Override
  void pool(Ops ops, Tensor input, Tensor output, PoolGeometry g) {
    ops.avgPoolForward(input, output, g);
  }

  @Override
  void unpool(Ops ops, Tensor gradOutput, Tensor gradInput, PoolGeometry g) {
    ops.avgPoolBackward(gradOutput, gradInput, g);
  }
}
