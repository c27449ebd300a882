package org.convcl.nn;

import java.util.List;
import java.util.Random;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/** Test adapter: a built model seen as one layer, so GradCheck can check it end to end. */
final class ModelAsLayer implements Layer {
  private final Sequential model;

  ModelAsLayer(Sequential model) {
    this.model = model;
  }

  @Override
  public String spec() {
    return model.spec();
  }

  @Override
  public Shape build(Ops ops, Shape inputItem, WeightInit init, Random rng) {
    return model.outputItem();
  }

  @Override
  public Shape outputItem(Shape inputItem) {
    return model.outputItem();
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    return model.forward(input, training);
  }

  @Override
  public Tensor backward(Ops ops, Tensor gradOutput) {
    model.backward(gradOutput);
    return null;
  }

  @Override
  public List<Param> params() {
    return model.params();
  }

  @Override
  public long flops(Shape inputItem) {
    return model.summary().totalFlops();
  }

  @Override
  public void close() {}
}
