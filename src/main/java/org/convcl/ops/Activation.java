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

  /**
   * Whether a producer (convolution, dense) may apply this function in its epilogue, so the
   * pre-activation values are never stored: true when {@code y > 0} exactly where {@code x > 0}, so
   * the derivative, which needs the sign of x, can be read from the output instead (ReLU, and leaky
   * ReLU with a slope of at least 0).
   */
  public boolean derivableFromOutput() {
    return kind == Kind.RELU || (kind == Kind.LEAKY_RELU && alpha >= 0f);
  }
}
