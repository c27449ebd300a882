package org.convcl.cpu;

/**
 * Fully connected layers on the heap: input {@code [N][F]}, weights {@code [O][F]} (one row per
 * output unit, so the forward pass is a row-by-row dot product), bias {@code [O]}, output {@code
 * [N][O]}. Dot products run in double.
 */
final class CpuDense {
  private CpuDense() {}

  /**
   * {@code out[n][o] = bias[o] + sum_f x[n][f] * w[o][f]}; one task per sample row. The weights are
   * transposed to {@code [F][O]} first, so the inner loop runs over o with contiguous, vectorisable
   * accesses instead of a dot-product reduction (which the JIT cannot vectorise in order).
   */
  static void forward(
      Parallel par, float[] x, float[] w, float[] bias, float[] out, int n, int f, int o) {
    float[] wT = transpose(w, o, f);
    par.forEach(
        n,
        (long) f * o,
        row -> {
          double[] acc = new double[o];
          for (int j = 0; j < o; j++) {
            acc[j] = bias == null ? 0.0 : bias[j];
          }
          for (int i = 0; i < f; i++) {
            axpy(x[row * f + i], wT, i * o, acc);
          }
          store(acc, out, row * o);
        });
  }

  /** {@code m [rows][cols]} as {@code [cols][rows]}. */
  static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }

  /** {@code dx[n][f] = sum_o dy[n][o] * w[o][f]}; one task per sample row. */
  static void backwardInput(Parallel par, float[] dy, float[] w, float[] dx, int n, int f, int o) {
    par.forEach(
        n,
        (long) f * o,
        row -> {
          double[] acc = new double[f];
          for (int j = 0; j < o; j++) {
            axpy(dy[row * o + j], w, j * f, acc);
          }
          store(acc, dx, row * f);
        });
  }

  /** {@code dw[o][f] = sum_n dy[n][o] * x[n][f]}; one task per output unit. */
  static void backwardWeights(
      Parallel par, float[] x, float[] dy, float[] dw, int n, int f, int o) {
    par.forEach(
        o,
        (long) f * n,
        j -> {
          double[] acc = new double[f];
          for (int row = 0; row < n; row++) {
            axpy(dy[row * o + j], x, row * f, acc);
          }
          store(acc, dw, j * f);
        });
  }

  /**
   * {@code sum_i a[ia + i] * b[ib + i]} in double, with four partial sums so the loop pipelines.
   */
  static double dot(float[] a, int ia, float[] b, int ib, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < len; i += 4) {
      s0 += (double) a[ia + i] * b[ib + i];
      s1 += (double) a[ia + i + 1] * b[ib + i + 1];
      s2 += (double) a[ia + i + 2] * b[ib + i + 2];
      s3 += (double) a[ia + i + 3] * b[ib + i + 3];
    }
    for (; i < len; i++) {
      s0 += (double) a[ia + i] * b[ib + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@code acc[i] += alpha * v[iv + i]}. */
  static void axpy(float alpha, float[] v, int iv, double[] acc) {
    if (alpha == 0f) {
      return;
    }
    for (int i = 0; i < acc.length; i++) {
      acc[i] += alpha * v[iv + i];
    }
  }

  private static void store(double[] acc, float[] dst, int offset) {
    for (int i = 0; i < acc.length; i++) {
      dst[offset + i] = (float) acc[i];
    }
  }
}
