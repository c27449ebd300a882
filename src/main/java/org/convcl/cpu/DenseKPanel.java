package org.convcl.cpu;

/**
 * A matrix in an array with arbitrary strides: {@code v(t, x) = data[base + t*strideT +
 * x*strideX]}. A row-major {@code [M][K]} matrix as A is {@code (strideT = 1, strideX = K)}, its
 * transpose {@code (K, 1)}; a row-major {@code [K][N]} matrix as B is {@code (N, 1)}.
 */
record DenseKPanel(float[] data, int base, int strideT, int strideX) implements KPanel {
  @Override
  public void pack(float[] dst, int off, int t0, int kc, int x0, int width, int panel) {
    if (strideX == 1) {
      for (int t = 0; t < kc; t++) {
        int src = base + (t0 + t) * strideT + x0;
        int row = off + t * panel;
        System.arraycopy(data, src, dst, row, width);
      }
    } else {
      // Walk each x along t: with strideT == 1 (a row-major A) the reads are contiguous.
      for (int x = 0; x < width; x++) {
        int src = base + t0 * strideT + (x0 + x) * strideX;
        for (int t = 0; t < kc; t++) {
          dst[off + t * panel + x] = data[src + t * strideT];
        }
      }
    }
    KPanel.zeroTail(dst, off, kc, width, panel);
  }
}
