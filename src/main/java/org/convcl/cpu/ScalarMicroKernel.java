package org.convcl.cpu;

/**
 * The {@link MicroKernel} without jdk.incubator.vector: plain loops of {@link Math#fma}, whose
 * inner loop over the tile's columns the JIT may vectorise. Same arithmetic, hence the same bits,
 * as {@code SimdMicroKernel}; several times slower.
 */
final class ScalarMicroKernel implements MicroKernel {
  static final int MR = 4;
  static final int NR = 16;

  @Override
  public int mr() {
    return MR;
  }

  @Override
  public int nr() {
    return NR;
  }

  @Override
  public int simdWidth() {
    return 1;
  }

  @Override
  public boolean vectorized() {
    return false;
  }

  @Override
  public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
    for (int i = 0; i < MR; i++) {
      int ci = cOff + i * ldc;
      for (int t = 0; t < kc; t++) {
        float ai = a[aOff + t * MR + i];
        int bt = bOff + t * NR;
        for (int j = 0; j < NR; j++) {
          c[ci + j] = Math.fma(ai, b[bt + j], c[ci + j]);
        }
      }
    }
  }
}
