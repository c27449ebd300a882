package org.convcl.nn;

import java.util.Random;
import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * Max pooling per channel: output {@code [N][C][outH][outW]}, plus an int argmax of the same shape
 * that routes each gradient back to the input cell its window selected.
 */
public final class MaxPool2d implements Layer {
  private final PoolParams params;
  private PoolGeometry geometry;
  private final Slot output = new Slot();
  private final Slot argmax = new Slot();
  private final Slot gradInput = new Slot();
  private boolean needGradInput = true;

  public MaxPool2d(PoolParams params) {
    Require.that(params != null, "pool params", null, "must be given");
    this.params = params;
  }

  @Override
  public String spec() {
    return "maxpool" + PoolSpec.suffix(params);
  }

  @Override
  public Shape build(Ops ops, Shape inputItem, WeightInit init, Random rng) {
    Require.that(inputItem.rank() == 3, spec() + " input", inputItem, "must be an image CxHxW");
    geometry = PoolGeometry.of(Shapes.batch(1, inputItem), params);
    return Shapes.item(geometry.outputShape());
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    PoolGeometry g = geometry.withBatch(input.shape().batch());
    Tensor out = output.ensure(ops, g.outputShape());
    ops.maxPoolForward(input, out, argmax.ensure(ops, g.outputShape(), DType.INT32), g);
    return out;
  }

  @Override
  public Tensor backward(Ops ops, Tensor gradOutput) {
    if (!needGradInput) {
      return null;
    }
    PoolGeometry g = geometry.withBatch(gradOutput.shape().batch());
    Tensor gi = gradInput.ensure(ops, g.inputShape());
    ops.maxPoolBackward(gradOutput, argmax.ensure(ops, g.outputShape(), DType.INT32), gi, g);
    return gi;
  }

  @Override
  public long flops(Shape inputItem) {
    PoolGeometry g = PoolGeometry.of(Shapes.batch(1, inputItem), params);
    return (long) g.outputShape().size() * params.kernelH() * params.kernelW();
  }

  @Override
  public void skipGradInput() {
    needGradInput = false;
  }

  @Override
  public void close() {
    output.close();
    argmax.close();
    gradInput.close();
  }
}
