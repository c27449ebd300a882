package org.convcl.nn;

import java.util.Random;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * An element-wise non-linearity (ReLU, leaky ReLU, tanh, sigmoid); output has the input shape. When
 * {@link Sequential#build} has fused it into the conv or dense layer before it (see {@link
 * ActivationFusing}), that layer's output is already activated: forward passes it on, and backward
 * reads the derivative from it (possible for the functions {@link Activation#derivableFromOutput()}
 * allows). When a max pool follows, that pool's backward applies f' (see {@link
 * MaxPool2d#fuseActivationBackward}) and this layer's backward passes the gradient on.
 */
public final class ActivationLayer extends SlottedLayer {
  private final Activation function;
  private boolean fused;
  private boolean backwardInPool;
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

  /** Whether the layer before applies this function (see the class comment). */
  public boolean fused() {
    return fused;
  }

  /** Called by {@link Sequential#build} once the layer before has taken this function over. */
  void fusedIntoProducer() {
    Require.that(
        function.derivableFromOutput(),
        "fused activation",
        spec(),
        "must have its derivative readable from its output (ReLU, leaky ReLU with slope >= 0)");
    fused = true;
  }

  /**
   * Whether the max pool right after applies this function's backward pass (see {@link
   * MaxPool2d#fuseActivationBackward}); backward then passes the gradient through unchanged.
   */
  public boolean backwardInPool() {
    return backwardInPool;
  }

  /** Called by {@link Sequential#build} once the max pool after has taken the backward over. */
  void backwardFusedIntoPool() {
    Require.that(
        function.derivableFromOutput(),
        "activation fused into max-pool backward",
        spec(),
        "must have its derivative readable from its output (ReLU, leaky ReLU with slope >= 0)");
    backwardInPool = true;
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    if (fused) {
      this.input = this.out = input; // y > 0 exactly where x > 0: y stands in for x below
      return input;
    }
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
    if (backwardInPool) {
      return gradOutput; // the pool's gradInput, already multiplied by f'
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
