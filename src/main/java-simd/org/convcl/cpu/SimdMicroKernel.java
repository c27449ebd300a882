package org.convcl.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link MicroKernel} on jdk.incubator.vector: a 6 x (2 registers) tile of C held in 12 vector
 * registers of the preferred species (16 floats with AVX-512, 8 with AVX2, 4 with NEON) while t
 * runs; each step loads two vectors of the B panel, broadcasts six values of the A panel and issues
 * 12 fused multiply-adds. 12 independent accumulators cover the FMA latency (4 cycles) times the
 * issue rate of two FMA pipes with room to spare, and the 15 live registers fit both the 16 of AVX2
 * and the 32 of AVX-512.
 *
 * <p>Compiled on its own with {@code --add-modules jdk.incubator.vector} (see pom.xml) and loaded
 * only through {@link MicroKernels}, so the rest of the library runs without the module.
 */
final class SimdMicroKernel implements MicroKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  static final int MR = 6;
  private static final int NR = 2 * L;

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
    return L;
  }

  @Override
  public boolean vectorized() {
    return true;
  }

  @Override
  public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
    int c0 = cOff;
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    int c4 = c3 + ldc;
    int c5 = c4 + ldc;
    FloatVector s00 = FloatVector.fromArray(S, c, c0);
    FloatVector s01 = FloatVector.fromArray(S, c, c0 + L);
    FloatVector s10 = FloatVector.fromArray(S, c, c1);
    FloatVector s11 = FloatVector.fromArray(S, c, c1 + L);
    FloatVector s20 = FloatVector.fromArray(S, c, c2);
    FloatVector s21 = FloatVector.fromArray(S, c, c2 + L);
    FloatVector s30 = FloatVector.fromArray(S, c, c3);
    FloatVector s31 = FloatVector.fromArray(S, c, c3 + L);
    FloatVector s40 = FloatVector.fromArray(S, c, c4);
    FloatVector s41 = FloatVector.fromArray(S, c, c4 + L);
    FloatVector s50 = FloatVector.fromArray(S, c, c5);
    FloatVector s51 = FloatVector.fromArray(S, c, c5 + L);
    int ai = aOff;
    int bi = bOff;
    for (int t = 0; t < kc; t++, ai += MR, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector x = FloatVector.broadcast(S, a[ai]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      x = FloatVector.broadcast(S, a[ai + 1]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      x = FloatVector.broadcast(S, a[ai + 2]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      x = FloatVector.broadcast(S, a[ai + 3]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      x = FloatVector.broadcast(S, a[ai + 4]);
      s40 = x.fma(b0, s40);
      s41 = x.fma(b1, s41);
      x = FloatVector.broadcast(S, a[ai + 5]);
      s50 = x.fma(b0, s50);
      s51 = x.fma(b1, s51);
    }
    s00.intoArray(c, c0);
    s01.intoArray(c, c0 + L);
    s10.intoArray(c, c1);
    s11.intoArray(c, c1 + L);
    s20.intoArray(c, c2);
    s21.intoArray(c, c2 + L);
    s30.intoArray(c, c3);
    s31.intoArray(c, c3 + L);
    s40.intoArray(c, c4);
    s41.intoArray(c, c4 + L);
    s50.intoArray(c, c5);
    s51.intoArray(c, c5 + L);
  }
}
