package org.convcl.cpu;

import java.util.Arrays;
import org.convcl.tensor.ConvGeometry;

/**
 * Depthwise input gradient, one task per input plane (n, c), which owns its m filters {@code k =
 * c*m + j}: the plane starts at 0 and each filter tap adds {@code w[k][r][s] * dy[n][k][oh][ow]}
 * onto the input cells it read, row by row (contiguous when the column stride is 1), in (j, oh, r,
 * s) order, so the result does not depend on the threads.
 */
final class DepthwiseBackwardInput extends DepthwiseLowering {
  DepthwiseBackwardInput(CpuGemm gemm, RowKernels rows) {
    super(gemm, rows);
  }

  @Override
  public ConvPass pass() {
    return ConvPass.BACKWARD_INPUT;
  }

  @Override
  void run(float[] gradOutput, float[] weights, float[] unused, float[] gradInput, ConvGeometry g) {
    Columns cols = Columns.of(g);
    int m = g.filtersPerGroup();
    int taps = taps(g);
    int sw = g.params().strideW();
    gemm.parallel.forEach(
        g.n() * g.c(),
        planeWork(g) * m,
        plane -> {
          int n = plane / g.c();
          int c = plane % g.c();
          int in = plane * g.h() * g.w();
          Arrays.fill(gradInput, in, in + g.h() * g.w(), 0f);
          for (int k = c * m; k < (c + 1) * m; k++) {
            int dy = (n * g.k() + k) * g.outH() * g.outW();
            for (int oh = 0; oh < g.outH(); oh++) {
              for (int r = 0; r < g.params().kernelH(); r++) {
                int ih = inputRow(g, oh, r);
                for (int s = 0; ih >= 0 && s < g.params().kernelW(); s++) {
                  int lo = cols.lo()[s];
                  rows.axpy(
                      weights[k * taps + r * g.params().kernelW() + s],
                      gradOutput,
                      dy + oh * g.outW() + lo,
                      1,
                      gradInput,
                      in + ih * g.w() + cols.firstInput(g, s),
                      sw,
                      cols.hi()[s] - lo);
                }
              }
            }
          }
        });
  }
}
