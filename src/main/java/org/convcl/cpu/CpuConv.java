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
              p0 += gradOutput[base + q];
              p1 += gradOutput[base + q + 1];
              p2 += gradOutput[base + q + 2];
              p3 += gradOutput[base + q + 3];
            }
            int rest = spatial - whole;
            p0 += rest > 0 ? gradOutput[base + whole] : 0.0;
            p1 += rest > 1 ? gradOutput[base + whole + 1] : 0.0;
            p2 += rest > 2 ? gradOutput[base + whole + 2] : 0.0;
          }
          gradBias[kk] = (float) (((p0 + p1) + p2) + p3);
        });
  }
}
