package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * Depthwise filter gradient, one task per filter k: {@code dW[k][r][s] = sum_(n, oh) dot(input row
 * ih of channel k/m read at the tap's columns, dy row oh of filter k)}, the row dots added in (n,
 * oh) order per tap, so the result does not depend on the threads.
 */
final class DepthwiseBackwardFilter extends DepthwiseLowering {
  DepthwiseBackwardFilter(CpuGemm gemm, RowKernels rows) {
    super(gemm, rows);
  }

  @Override
  public ConvPass pass() {
    return ConvPass.BACKWARD_FILTER;
  }

  @Override
  void run(float[] input, float[] gradOutput, float[] unused, float[] gradWeights, ConvGeometry g) {
    Columns cols = Columns.of(g);
    int m = g.filtersPerGroup();
    int taps = taps(g);
    int sw = g.params().strideW();
    int kw = g.params().kernelW();
    gemm.parallel.forEach(
        g.k(),
        planeWork(g) * g.n(),
        k -> {
          java.util.Arrays.fill(gradWeights, k * taps, (k + 1) * taps, 0f);
          for (int n = 0; n < g.n(); n++) {
            int in = (n * g.c() + k / m) * g.h() * g.w();
            int dy = (n * g.k() + k) * g.outH() * g.outW();
            for (int oh = 0; oh < g.outH(); oh++) {
              for (int r = 0; r < g.params().kernelH(); r++) {
                int ih = inputRow(g, oh, r);
                for (int s = 0; ih >= 0 && s < kw; s++) {
                  int lo = cols.lo()[s];
                  gradWeights[k * taps + r * kw + s] +=
                      rows.dot(
                          input,
                          in + ih * g.w() + cols.firstInput(g, s),
                          sw,
                          gradOutput,
                          dy + oh * g.outW() + lo,
                          cols.hi()[s] - lo);
                }
              }
            }
          }
        });
  }
}
