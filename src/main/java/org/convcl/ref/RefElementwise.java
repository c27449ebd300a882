package org.convcl.ref;

import org.convcl.ops.Activation;
import org.convcl.ops.CounterRandom;

/** Element-wise ops in double: activations and their derivatives, dropout, products. */
public final class RefElementwise {
  private RefElementwise() {}

  /** {@code f(x)}: ReLU, leaky ReLU, tanh or the logistic sigmoid. */
  public static double apply(Activation f, double x) {
    return switch (f.kind()) {
      case RELU -> x > 0 ? x : 0;
      case LEAKY_RELU -> x > 0 ? x : f.alpha() * x;
      case TANH -> StrictMath.tanh(x);
      case SIGMOID -> 1 / (1 + StrictMath.exp(-x));
    };
  }

  /**
   * {@code f'(x)}, written with the forward output y where the SPI defines it so: ReLU and leaky
   * ReLU by the sign of x (1, or 0 / alpha, at x <= 0), tanh as {@code 1 - y^2}, sigmoid as {@code
   * y (1 - y)}.
   */
  public static double derivative(Activation f, double x, double y) {
    return switch (f.kind()) {
      case RELU -> x > 0 ? 1 : 0;
      case LEAKY_RELU -> x > 0 ? 1 : f.alpha();
      case TANH -> 1 - y * y;
      case SIGMOID -> y * (1 - y);
    };
  }

  public static double[] forward(Activation f, double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = apply(f, x[i]);
    }
    return y;
  }

  /** {@code gradInput = gradOutput * f'(input)}, f' from the input x and the forward output y. */
  public static double[] backward(Activation f, double[] x, double[] y, double[] dy) {
    double[] dx = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      dx[i] = dy[i] * derivative(f, x[i], y[i]);
    }
    return dx;
  }

  /**
   * Inverted dropout's mask: element i is kept, with the value {@code 1/(1-p)}, when {@code
   * CounterRandom.uniform(seed, i) >= p}, and dropped (0) otherwise.
   */
  public static double[] dropoutMask(int length, double p, long seed) {
    double[] mask = new double[length];
    for (int i = 0; i < length; i++) {
      mask[i] = CounterRandom.uniform(seed, i) >= p ? 1 / (1 - p) : 0;
    }
    return mask;
  }

  /** {@code a * b} element-wise. */
  public static double[] multiply(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * b[i];
    }
    return out;
  }
}
