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

  /**
   * Packs a whole block: {@code x in [x0, x0 + width)} cut into panels of {@code panel} columns,
   * panel q at {@code dst[off + q * panel * kc ..]}, each laid out as {@link #pack} writes it (the
   * last zero-padded). Implementations whose per-call set-up is costly walk the block in one go.
   */
  default void packBlock(float[] dst, int off, int t0, int kc, int x0, int width, int panel) {
    for (int q = 0; q * panel < width; q++) {
      pack(
          dst,
          off + q * panel * kc,
          t0,
          kc,
          x0 + q * panel,
          Math.min(panel, width - q * panel),
          panel);
    }
  }

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
