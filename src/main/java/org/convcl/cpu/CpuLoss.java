package org.convcl.cpu;

/**
 * Softmax, softmax cross-entropy and row argmax on {@code [N][K]} logits with int labels {@code
 * [N]}.
 */
final class CpuLoss {
  private CpuLoss() {}

  /**
   * Numerically stable: subtract the row maximum m before exponentiating, so {@code log(sum exp(z -
   * m)) + m - z_label} never overflows. An out-of-range label yields NaN for that row.
   */
  static void softmaxCrossEntropy(
      float[] z, int[] labels, float[] probs, float[] losses, int n, int k) {
    for (int row = 0; row < n; row++) {
      int base = row * k;
      double max = rowMax(z, base, k);
      double sum = softmaxRow(z, probs, base, k, max);
      int label = labels[row];
      losses[row] =
          label >= 0 && label < k ? (float) (Math.log(sum) + max - z[base + label]) : Float.NaN;
    }
  }

  /** The softmax alone (inference): the same row code as {@link #softmaxCrossEntropy}. */
  static void softmax(float[] z, float[] probs, int n, int k) {
    for (int row = 0; row < n; row++) {
      int base = row * k;
      softmaxRow(z, probs, base, k, rowMax(z, base, k));
    }
  }

  private static double rowMax(float[] z, int base, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      max = Math.max(max, z[base + j]);
    }
    return max;
  }

  /**
   * Writes {@code probs[base + j] = exp(z[base + j] - max) / sum} for one row of k values and
   * returns {@code sum = sum_j exp(z[base + j] - max)}, accumulated in double; the caller passes
   * the row maximum, so every exponent is at most 0.
   */
  private static double softmaxRow(float[] z, float[] probs, int base, int k, double max) {
    double sum = 0;
    for (int j = 0; j < k; j++) {
      sum += Math.exp(z[base + j] - max);
    }
    for (int j = 0; j < k; j++) {
      probs[base + j] = (float) (Math.exp(z[base + j] - max) / sum);
    }
    return sum;
  }

  /**
   * {@code grad[n][j] = scale * (probs[n][j] - [j == label_n])}; a bad label poisons its row with
   * NaN.
   */
  static void softmaxCrossEntropyBackward(
      float[] probs, int[] labels, float scale, float[] grad, int n, int k) {
    for (int row = 0; row < n; row++) {
      int label = labels[row];
      boolean valid = label >= 0 && label < k;
      for (int j = 0; j < k; j++) {
        float target = j == label ? 1f : 0f;
        grad[row * k + j] = valid ? scale * (probs[row * k + j] - target) : Float.NaN;
      }
    }
  }

  /** First maximum of each row. */
  static void argmaxRows(float[] x, int[] out, int n, int k) {
    for (int row = 0; row < n; row++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (x[row * k + j] > x[row * k + best]) {
          best = j;
        }
      }
      out[row] = best;
    }
  }
}
