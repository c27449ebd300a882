package org.convcl.nn;

import java.util.Random;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/** An element-wise non-linearity (ReLU, leaky ReLU, tanh, sigmoid); output has the input shape. */
public final class ActivationLayer extends SlottedLayer {
  private final Activation function;
  private Tensor input;
  private Tensor out;

  public ActivationLayer(Activation function) {
    Require.that(function != null, "activation", null, "must be given");
    this.function = function;
  }

  public Activation function() {
    return function;
  }

  /** Whether He initialisation suits the weights feeding this activation. */
  public boolean isRectifier() {
    return function.kind() == Activation.Kind.RELU || function.kind() == Activation.Kind.LEAKY_RELU;
  }

  @Override
  public String spec() {
    return switch (function.kind()) {
      case RELU -> "relu";
      case LEAKY_RELU -> "lrelu" + function.alpha();
      case TANH -> "tanh";
      case SIGMOID -> "sigmoid";
    };
  }

  @Override
  public Shape build(Ops ops, Shape inputItem, WeightInit init, Random rng) {
    return outputItem(inputItem);
  }

  @Override
  public Shape outputItem(Shape inputItem) {
    return inputItem;
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    this.input = input;
    out = output.ensure(ops, input.shape());
    ops.activationForward(function, input, out);
    return out;
  }

  @Override
  public Tensor backward(Ops ops, Tensor gradOutput) {
    if (!needGradInput()) {
      return null;
    }
    Tensor gi = gradInput.ensure(ops, input.shape());
    ops.activationBackward(function, input, out, gradOutput, gi);
    return gi;
  }

  @Override
  public long flops(Shape inputItem) {
    return inputItem.size();
  }
}
