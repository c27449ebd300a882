package org.convcl.ops;

import org.convcl.tensor.Require;

/**
 * An element-wise non-linearity {@code y = f(x)}. {@code alpha} is the negative slope of leaky ReLU
 * and is ignored by the others.
 */
public record Activation(Kind kind, float alpha) {
  /**
   * The supported functions; each one's derivative is written in terms of x or y, whichever is
   * cheaper.
   */
  public enum Kind {
    /** {@code max(x, 0)}; derivative 1 for x > 0, else 0. */
    RELU,
    /** {@code x > 0 ? x : alpha*x}; derivative 1 or alpha. */
    LEAKY_RELU,
    /** {@code tanh(x)}; derivative {@code 1 - y^2}. */
    TANH,
    /** {@code 1/(1+exp(-x))}; derivative {@code y(1-y)}. */
    SIGMOID
  }

  public static final Activation RELU = new Activation(Kind.RELU, 0f);
  public static final Activation TANH = new Activation(Kind.TANH, 0f);
  public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0f);

  public Activation {
    Require.that(kind != null, "activation", null, "must be given");
    Require.that(Float.isFinite(alpha), "leaky ReLU slope", alpha, "must be finite");
  }

  public static Activation leakyRelu(float alpha) {
    return new Activation(Kind.LEAKY_RELU, alpha);
  }
}
