package org.convcl.nn;

import java.util.List;
import java.util.Random;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * One stage of a {@link Sequential} model. A layer owns its device tensors: parameters from {@link
 * #build}, activation and gradient buffers allocated on first use for the current batch size. The
 * tensors {@code forward} and {@code backward} return belong to the layer and stay valid until its
 * next call; callers never close them.
 *
 * <p>Call order: {@code build} once, then any number of {@code forward(training)} each optionally
 * followed by one {@code backward}, which overwrites the gradients (it does not accumulate).
 */
public interface Layer extends AutoCloseable {

  /** This layer's token in the model spec, e.g. {@code conv5x5x20} (see docs/model-spec.md). */
  String spec();

  /**
   * Allocates and initialises parameters for inputs of per-item shape {@code inputItem} and returns
   * the per-item output shape. Throws IllegalArgumentException naming the rule when the input does
   * not fit.
   */
  Shape build(Ops ops, Shape inputItem, WeightInit init, Random rng);

  /**
   * The per-item output shape {@link #build} would return for {@code inputItem}, checking the same
   * rules but allocating nothing (for {@code convcl summary}).
   */
  Shape outputItem(Shape inputItem);

  /** The number of trainable parameters {@link #build} would allocate, from shapes only. */
  default long paramCount(Shape inputItem) {
    return 0;
  }

  /** {@code input [N][...]} -> output; {@code training} selects dropout and batch statistics. */
  Tensor forward(Ops ops, Tensor input, boolean training);

  /**
   * gradOutput (the shape of the last output) -> gradInput (the shape of the last input); fills
   * {@link Param#grad()} of every parameter. Returns null when {@link #skipGradInput()} was asked.
   */
  Tensor backward(Ops ops, Tensor gradOutput);

  /** Trainable parameters with their gradients. */
  default List<Param> params() {
    return List.of();
  }

  /** Non-trainable state that a checkpoint must keep (batch norm's running statistics). */
  default List<Param> buffers() {
    return List.of();
  }

  /** Floating-point operations of one forward pass for one item (multiply-add = 2). */
  long flops(Shape inputItem);

  /** Whether the weights of this layer should start with He (it feeds a ReLU) or Xavier. */
  default boolean hasWeights() {
    return false;
  }

  /** Tells the first layer that nobody needs the gradient of the network input. */
  default void skipGradInput() {}

  @Override
  void close();
}
