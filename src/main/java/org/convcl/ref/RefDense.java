package org.convcl.ref;

/**
 * Fully connected layers as double-precision dot products: input {@code [N][F]}, weights {@code
 * [O][F]}, bias {@code [O]}, output {@code [N][O]}.
 */
public final class RefDense {
  private RefDense() {}

  /** {@code output[n][o] = bias[o] + sum_f input[n][f] * weights[o][f]}; bias may be null. */
  public static double[] forward(double[] input, double[] weights, double[] bias, int n, int f) {
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

  /** {@code gradInput[n][f] = sum_o gradOutput[n][o] * weights[o][f]}. */
  public static double[] backwardInput(double[] gradOutput, double[] weights, int n, int f) {
    int outs = weights.length / f;
    double[] gradInput = new double[n * f];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        double s = 0;
        for (int o = 0; o < outs; o++) {
          s += gradOutput[i * outs + o] * weights[o * f + j];
        }
        gradInput[i * f + j] = s;
      }
    }
    return gradInput;
  }

  /** {@code gradWeights[o][f] = sum_n gradOutput[n][o] * input[n][f]}. */
  public static double[] backwardWeights(double[] input, double[] gradOutput, int n, int f) {
    int outs = gradOutput.length / n;
    double[] gradWeights = new double[outs * f];
    for (int o = 0; o < outs; o++) {
      for (int j = 0; j < f; j++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += gradOutput[i * outs + o] * input[i * f + j];
        }
        gradWeights[o * f + j] = s;
      }
    }
    return gradWeights;
  }
}
