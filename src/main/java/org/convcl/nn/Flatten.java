package org.convcl.nn;

import java.util.Random;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/** {@code [N][C][H][W]} -> {@code [N][C*H*W]} as a view of the same memory, both ways. */
public final class Flatten implements Layer {
  private Shape inputShape;

  @Override
  public String spec() {
    return "flatten";
  }

  @Override
  public Shape build(Ops ops, Shape inputItem, WeightInit init, Random rng) {
    return outputItem(inputItem);
  }

  @Override
  public Shape outputItem(Shape inputItem) {
    return Shape.of(inputItem.size());
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    inputShape = input.shape();
    return ops.view(input, Shape.of(inputShape.batch(), inputShape.perItem()));
  }

  @Override
  public Tensor backward(Ops ops, Tensor gradOutput) {
    return ops.view(gradOutput, inputShape);
  }

  @Override
  public long flops(Shape inputItem) {
    return 0;
  }

  @Override
  public void close() {}
}
