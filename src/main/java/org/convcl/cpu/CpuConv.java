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
   * double, n then position in order.
   */
  static void backwardBias(float[] gradOutput, int n, int k, int spatial, float[] gradBias) {
    for (int kk = 0; kk < k; kk++) {
      double acc = 0;
      for (int nn = 0; nn < n; nn++) {
        int base = (nn * k + kk) * spatial;
        for (int i = 0; i < spatial; i++) {
          acc += gradOutput[base + i];
        }
      }
      gradBias[kk] = (float) acc;
    }
  }
}
