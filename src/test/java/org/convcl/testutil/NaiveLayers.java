package org.convcl.testutil;

import org.convcl.ops.Activation;

/**
 * Double-precision references for the non-convolution ops (activations, dense, softmax
 * cross-entropy, batch normalisation), written from the formulas in Ops' Javadoc and independent of
 * CpuOps.
 */
public final class NaiveLayers {
  private NaiveLayers() {}

  public static double activation(Activation f, double x) {
    return switch (f.kind()) {
      case RELU -> x > 0 ? x : 0;
      case LEAKY_RELU -> x > 0 ? x : f.alpha() * x;
      case TANH -> Math.tanh(x);
      case SIGMOID -> 1 / (1 + Math.exp(-x));
    };
  }

  public static double[] activation(Activation f, double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = activation(f, x[i]);
    }
    return y;
  }

  /** output [N][O] = input [N][F] times weights [O][F] transposed, plus bias [O] (may be null). */
  public static double[] dense(double[] input, double[] weights, double[] bias, int n, int f) {
    int outs = weights.length / f;
    double[] out = new double[n * outs];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < outs; o++) {
        double s = bias == null ? 0 : bias[o];
        for (int j = 0; j < f; j++) {
          s += input[i * f + j] * weights[o * f + j];
        }
        out[i * outs + o] = s;
      }
    }
    return out;
  }

  /** probs [N][K] of logits [N][K], computed naively (no max shift: fine for moderate logits). */
  public static double[] softmax(double[] logits, int n) {
    int k = logits.length / n;
    double[] p = new double[logits.length];
    for (int i = 0; i < n; i++) {
      double z = 0;
      for (int j = 0; j < k; j++) {
        z += Math.exp(logits[i * k + j]);
      }
      for (int j = 0; j < k; j++) {
        p[i * k + j] = Math.exp(logits[i * k + j]) / z;
      }
    }
    return p;
  }

  /** losses [N] = -log softmax(logits)[label]. */
  public static double[] crossEntropy(double[] logits, int[] labels) {
    int n = labels.length;
    int k = logits.length / n;
    double[] p = softmax(logits, n);
    double[] loss = new double[n];
    for (int i = 0; i < n; i++) {
      loss[i] = -Math.log(p[i * k + labels[i]]);
    }
    return loss;
  }

  /**
   * Training-mode batch normalisation of input [N][C][plane] (plane = H*W, or 1 for [N][C]) with
   * the batch mean and biased variance of each channel.
   */
  public static double[] batchNorm(
      double[] input, double[] gamma, double[] beta, int n, int c, double epsilon) {
    int plane = input.length / (n * c);
    double m = (double) n * plane;
    double[] out = new double[input.length];
    for (int ch = 0; ch < c; ch++) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < plane; j++) {
          mean += input[(i * c + ch) * plane + j];
        }
      }
      mean /= m;
      double var = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < plane; j++) {
          double d = input[(i * c + ch) * plane + j] - mean;
          var += d * d;
        }
      }
      var /= m;
      double invStd = 1 / Math.sqrt(var + epsilon);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < plane; j++) {
          int at = (i * c + ch) * plane + j;
          out[at] = gamma[ch] * (input[at] - mean) * invStd + beta[ch];
        }
      }
    }
    return out;
  }
}
