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
      // Walk four x at a time along t: with strideT == 1 (a row-major A) each of the four reads
      // is contiguous, and each t writes four adjacent floats instead of one.
      int x = 0;
      for (; x + 4 <= width; x += 4) {
        int s0 = base + t0 * strideT + (x0 + x) * strideX;
        int s1 = s0 + strideX;
        int s2 = s1 + strideX;
        int s3 = s2 + strideX;
        for (int t = 0, d = off + x, st = 0; t < kc; t++, d += panel, st += strideT) {
          dst[d] = data[s0 + st];
          dst[d + 1] = data[s1 + st];
          dst[d + 2] = data[s2 + st];
          dst[d + 3] = data[s3 + st];
        }
      }
      for (; x < width; x++) {
        int src = base + t0 * strideT + (x0 + x) * strideX;
        for (int t = 0; t < kc; t++) {
          dst[off + t * panel + x] = data[src + t * strideT];
        }
      }
    }
    KPanel.zeroTail(dst, off, kc, width, panel);
  }
}
