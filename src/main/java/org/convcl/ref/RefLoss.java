package org.convcl.ref;

/**
 * Softmax, softmax cross-entropy and row argmax on logits {@code [N][K]} with int labels {@code
 * [N]}, in double.
 */
public final class RefLoss {
  private RefLoss() {}

  /** The probabilities and the per-row losses of softmax cross-entropy. */
  public record SoftmaxLoss(double[] probs, double[] losses) {}

  /**
   * {@code probs[n][j] = exp(z_j - m) / sum_i exp(z_i - m)} with {@code m = max_i z_i} (a NaN logit
   * makes its whole row NaN); subtracting m keeps every exponent at most 0.
   */
  public static double[] softmax(double[] logits, int n) {
    int k = logits.length / n;
    double[] p = new double[logits.length];
    for (int row = 0; row < n; row++) {
      double m = rowMax(logits, row * k, k);
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += StrictMath.exp(logits[row * k + j] - m);
      }
      for (int j = 0; j < k; j++) {
        p[row * k + j] = StrictMath.exp(logits[row * k + j] - m) / sum;
      }
    }
    return p;
  }

  /**
   * The softmax, and {@code losses[n] = log(sum_i exp(z_i - m)) + m - z[label_n]}; a label outside
   * {@code [0, K)} gives a NaN loss for its row.
   */
  public static SoftmaxLoss softmaxCrossEntropy(double[] logits, int[] labels) {
    int n = labels.length;
    int k = logits.length / n;
    double[] losses = new double[n];
    for (int row = 0; row < n; row++) {
      double m = rowMax(logits, row * k, k);
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += StrictMath.exp(logits[row * k + j] - m);
      }
      int label = labels[row];
      losses[row] =
          label >= 0 && label < k ? StrictMath.log(sum) + m - logits[row * k + label] : Double.NaN;
    }
    return new SoftmaxLoss(softmax(logits, n), losses);
  }

  /** The row maximum; {@link Math#max} propagates a NaN. */
  private static double rowMax(double[] z, int base, int k) {
    double m = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      m = Math.max(m, z[base + j]);
    }
    return m;
  }

  /**
   * {@code gradLogits[n][j] = scale * (probs[n][j] - [j == label_n])}; a bad label makes its row
   * NaN.
   */
  public static double[] softmaxCrossEntropyBackward(double[] probs, int[] labels, double scale) {
    int n = labels.length;
    int k = probs.length / n;
    double[] grad = new double[probs.length];
    for (int row = 0; row < n; row++) {
      int label = labels[row];
      boolean valid = label >= 0 && label < k;
      for (int j = 0; j < k; j++) {
        double target = j == label ? 1 : 0;
        grad[row * k + j] = valid ? scale * (probs[row * k + j] - target) : Double.NaN;
      }
    }
    return grad;
  }

  /**
   * The first maximum of each row: entry j replaces the best so far only when strictly greater, so
   * ties keep the first and a NaN never wins (unless it is entry 0, which nothing then beats).
   */
  public static int[] argmaxRows(double[] x, int n) {
    int k = x.length / n;
    int[] out = new int[n];
    for (int row = 0; row < n; row++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (x[row * k + j] > x[row * k + best]) {
          best = j;
        }
      }
      out[row] = best;
    }
    return out;
  }
}
