package org.convcl.cpu;

/**
 * Convolution on the heap. Layouts: input {@code [N][C][H][W]}, weights {@code
 * [K][C/groups][R][S]}, output {@code [N][K][outH][outW]}. Filter k belongs to group {@code k /
 * (K/groups)} and reads input channels {@code group*(C/groups) ..}. Which input cell a window's tap
 * reads is {@link org.convcl.tensor.WindowIndex}'s rule (walked by {@link Im2colWalk}); see
 * docs/math.md for the derivations of the two gradients. The three passes run on the GEMM core
 * through the lowering {@link CpuConvPlanner#choose} picks; the bias gradient, a plain reduction,
 * lives here.
 */
final class CpuConv {
  private CpuConv() {}

  /**
   * {@code gradBias[k] = sum over n and the trailing (spatial) dims of gradOutput[n][k][...]}, in
   * double: element (n, position q) goes to partial {@code q % 4}, images then positions in order,
   * and the partials are added {@code ((p0 + p1) + p2) + p3}. Independent partials let the adds
   * overlap (one chain of dependent double adds ran at one element per 4 cycles); the order is
   * fixed, so the result does not depend on the thread count. One task per filter; no allocation.
   */
  static void backwardBias(
      Parallel parallel, float[] gradOutput, int n, int k, int spatial, float[] gradBias) {
    backwardBias(parallel, gradOutput, null, 0, n, k, spatial, gradBias);
  }

  /**
   * {@link #backwardBias(Parallel, float[], int, int, int, float[])} of {@code gradOutput[i] *
   * f'(y[i])}, each product in float, f' read from the sign of {@code y} as {@link
   * CpuPool#derivative} reads it ({@code slopeBits}: the bits of f' at a non-positive output); with
   * {@code y} null the factor is exactly 1. The fused convolution + max pool sums its bias gradient
   * this way from the pooled gradient and the pooled output.
   */
  static void backwardBias(
      Parallel parallel,
      float[] gradOutput,
      float[] y,
      int slopeBits,
      int n,
      int k,
      int spatial,
      float[] gradBias) {
    parallel.forEach(
        k,
        (long) n * spatial,
        kk -> {
          double p0 = 0;
          double p1 = 0;
          double p2 = 0;
          double p3 = 0;
          int whole = spatial / 4 * 4;
          for (int nn = 0; nn < n; nn++) {
            int base = (nn * k + kk) * spatial;
            for (int q = 0; q < whole; q += 4) {
              p0 += term(gradOutput, y, base + q, slopeBits);
              p1 += term(gradOutput, y, base + q + 1, slopeBits);
              p2 += term(gradOutput, y, base + q + 2, slopeBits);
              p3 += term(gradOutput, y, base + q + 3, slopeBits);
            }
            int rest = spatial - whole;
            p0 += rest > 0 ? term(gradOutput, y, base + whole, slopeBits) : 0.0;
            p1 += rest > 1 ? term(gradOutput, y, base + whole + 1, slopeBits) : 0.0;
            p2 += rest > 2 ? term(gradOutput, y, base + whole + 2, slopeBits) : 0.0;
          }
          gradBias[kk] = (float) (((p0 + p1) + p2) + p3);
        });
  }

  private static float term(float[] g, float[] y, int i, int slopeBits) {
    return g[i] * CpuPool.derivative(y, i, slopeBits);
  }
}
