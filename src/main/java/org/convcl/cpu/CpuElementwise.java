package org.convcl.cpu;

import org.convcl.ops.Activation;
import org.convcl.ops.CounterRandom;

/** Element-wise functions: activations and their derivatives, dropout, products. */
final class CpuElementwise {
  private CpuElementwise() {}

  static float apply(Activation f, float x) {
    return switch (f.kind()) {
      case RELU -> x > 0 ? x : 0f;
      case LEAKY_RELU -> x > 0 ? x : f.alpha() * x;
      case TANH -> (float) Math.tanh(x);
      case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
    };
  }

  /** f'(x), written with the forward output y where that is the cheaper form. */
  static float derivative(Activation f, float x, float y) {
    return switch (f.kind()) {
      case RELU -> x > 0 ? 1f : 0f;
      case LEAKY_RELU -> x > 0 ? 1f : f.alpha();
      case TANH -> 1f - y * y;
      case SIGMOID -> y * (1f - y);
    };
  }

  static void forward(Activation f, float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = apply(f, x[i]);
    }
  }

  static void backward(Activation f, float[] x, float[] y, float[] dy, float[] dx) {
    for (int i = 0; i < x.length; i++) {
      dx[i] = dy[i] * derivative(f, x[i], y[i]);
    }
  }

  /** Inverted dropout with the shared counter-based random numbers (see {@link CounterRandom}). */
  static void dropout(float[] x, float[] y, float[] mask, float p, long seed) {
    float keep = 1f / (1f - p);
    for (int i = 0; i < x.length; i++) {
      mask[i] = CounterRandom.uniform(seed, i) >= p ? keep : 0f;
      y[i] = x[i] * mask[i];
    }
  }

  static void multiply(float[] a, float[] b, float[] out) {
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * b[i];
    }
  }
}
