package org.convcl.cpu;

/**
 * One operand of {@link Sgemm} seen as a function {@code v(t, x)} of the inner (summed) index t and
 * the outer index x (the row i of A, or the column j of B), which it writes into the packed layout
 * the {@link MicroKernel} reads. Implementations read a matrix ({@link DenseKPanel}), or build
 * im2col windows straight from an image, so no unrolled matrix is ever stored.
 */
interface KPanel {
  /**
   * Writes {@code dst[off + (t - t0)*panel + (x - x0)] = v(t, x)} for {@code t in [t0, t0 + kc)},
   * {@code x in [x0, x0 + width)}, and 0 for {@code x - x0 in [width, panel)}.
   */
  void pack(float[] dst, int off, int t0, int kc, int x0, int width, int panel);

  /** Zeroes columns {@code [width, panel)} of the {@code kc} rows written by {@link #pack}. */
  static void zeroTail(float[] dst, int off, int kc, int width, int panel) {
    if (width == panel) {
      return;
    }
    for (int t = 0; t < kc; t++) {
      int row = off + t * panel;
      java.util.Arrays.fill(dst, row + width, row + panel, 0f);
    }
  }
}
