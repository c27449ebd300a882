package org.convcl.cpu;

/**
 * The innermost step of {@link Sgemm}: one {@code mr x nr} tile of C updated by a packed A panel
 * and a packed B panel, {@code c[i][j] = fma(a[t][i], b[t][j], c[i][j])} for {@code t = 0 .. kc-1}
 * in order. A panel: {@code a[aOff + t*mr + i]}; B panel: {@code b[bOff + t*nr + j]}; C: {@code
 * c[cOff + i*ldc + j]}. Every implementation computes each entry as the same chain of fused
 * multiply-adds in t order, so they give bit-identical results; only the speed differs.
 */
interface MicroKernel {
  /** Rows of the tile. */
  int mr();

  /** Columns of the tile. */
  int nr();

  /** Floats per SIMD register (1 for the scalar kernel). */
  int simdWidth();

  /** True for the jdk.incubator.vector kernel. */
  boolean vectorized();

  void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc);
}
