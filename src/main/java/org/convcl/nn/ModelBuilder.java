package org.convcl.nn;

import java.util.ArrayList;
import java.util.List;
import org.convcl.ops.Activation;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Shape;

/**
 * The Java form of a model spec: {@code Sequential.builder().conv(5, 20).relu().maxPool(2)
 * .dense(10).build(ops, Shape.of(1, 28, 28), seed)}.
 */
public final class ModelBuilder {
  private final List<Layer> layers = new ArrayList<>();

  ModelBuilder() {}

  public ModelBuilder add(Layer layer) {
    layers.add(layer);
    return this;
  }

  /** A square convolution of {@code kernel}, {@code filters} outputs, stride 1, no padding. */
  public ModelBuilder conv(int kernel, int filters) {
    return add(new Conv2d(filters, ConvParams.of(kernel)));
  }

  public ModelBuilder conv(int filters, ConvParams params) {
    return add(new Conv2d(filters, params));
  }

  public ModelBuilder maxPool(int size) {
    return add(new MaxPool2d(PoolParams.of(size, size)));
  }

  public ModelBuilder avgPool(int size) {
    return add(new AvgPool2d(PoolParams.of(size, size)));
  }

  public ModelBuilder relu() {
    return add(new ActivationLayer(Activation.RELU));
  }

  public ModelBuilder leakyRelu(float alpha) {
    return add(new ActivationLayer(Activation.leakyRelu(alpha)));
  }

  public ModelBuilder tanh() {
    return add(new ActivationLayer(Activation.TANH));
  }

  public ModelBuilder sigmoid() {
    return add(new ActivationLayer(Activation.SIGMOID));
  }

  public ModelBuilder dense(int outFeatures) {
    return add(new Dense(outFeatures));
  }

  public ModelBuilder flatten() {
    return add(new Flatten());
  }

  public ModelBuilder dropout(float p) {
    return add(new Dropout(p));
  }

  public ModelBuilder batchNorm() {
    return add(new BatchNorm2d(BatchNormConfig.DEFAULT));
  }

  /** The layers added so far (not yet built). */
  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  public Sequential build(Ops ops, Shape inputItem, long seed) {
    return Sequential.build(ops, inputItem, new ArrayList<>(layers), seed);
  }
}
