package org.convcl.cpu;

import java.util.Arrays;
import org.convcl.tensor.ConvGeometry;

/**
 * Depthwise forward, one task per output plane (n, k): {@code out[n][k][oh][ow] = bias[k] + sum_rs
 * w[k][r][s] * in[n][k/m][ih][iw]}, each tap one fused multiply-add per output along the row, taps
 * in (r, s) order.
 */
final class DepthwiseForward extends DepthwiseLowering {
  DepthwiseForward(CpuGemm gemm, RowKernels rows) {
    super(gemm, rows);
  }

  @Override
  public ConvPass pass() {
    return ConvPass.FORWARD;
  }

  @Override
  void run(float[] input, float[] weights, float[] bias, float[] output, ConvGeometry g) {
    Columns cols = Columns.of(g);
    int m = g.filtersPerGroup();
    int taps = taps(g);
    int sw = g.params().strideW();
    gemm.parallel.forEach(
        g.n() * g.k(),
        planeWork(g),
        plane -> {
          int n = plane / g.k();
          int k = plane % g.k();
          int in = (n * g.c() + k / m) * g.h() * g.w();
          float b = bias == null ? 0f : bias[k];
          for (int oh = 0; oh < g.outH(); oh++) {
            int row = (plane * g.outH() + oh) * g.outW();
            Arrays.fill(output, row, row + g.outW(), b);
            for (int r = 0; r < g.params().kernelH(); r++) {
              int ih = inputRow(g, oh, r);
              for (int s = 0; ih >= 0 && s < g.params().kernelW(); s++) {
                int lo = cols.lo()[s];
                rows.axpy(
                    weights[k * taps + r * g.params().kernelW() + s],
                    input,
                    in + ih * g.w() + cols.firstInput(g, s),
                    sw,
                    output,
                    row + lo,
                    1,
                    cols.hi()[s] - lo);
              }
            }
          }
        });
  }
}
