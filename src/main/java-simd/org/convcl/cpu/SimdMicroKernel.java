package org.convcl.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link MicroKernel} on jdk.incubator.vector: a 6 x (3 registers) tile of C held in 18 vector
 * registers of 8 floats ({@code SPECIES_256}; 4 where the JVM's preferred species is narrower, as
 * on NEON) while t runs; each step loads three vectors of the B panel, broadcasts six values of the
 * A panel and issues 18 fused multiply-adds. 18 independent accumulators cover the FMA latency
 * times two FMA pipes; the 22 live registers need the 32 of AVX-512 (AVX2's 16 spill some).
 *
 * <p>Why 8 floats and not the 16 of AVX-512: the direct convolution kernel ({@code
 * SimdDirectConvKernel}) needs 8-float vectors (its slots of 8 windows), and one JVM that runs two
 * vector shapes through the same library methods profiles them together, after which the JIT no
 * longer removes the vector objects: every kernel got several times slower when the two were mixed.
 * AMD Zen 4 splits 512-bit operations into two 256-bit halves, so 8 floats lose little there; the
 * measured trade is in docs/cpu.md.
 *
 * <p>Compiled on its own with {@code --add-modules jdk.incubator.vector} (see pom.xml) and loaded
 * only through {@link MicroKernels}, so the rest of the library runs without the module.
 */
final class SimdMicroKernel implements MicroKernel {
  private static final VectorSpecies<Float> S = SimdSpecies.FLOAT;
  private static final int L = S.length();
  static final int MR = 6;
  private static final int NR = 3 * L;

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
    FloatVector s02 = FloatVector.fromArray(S, c, c0 + 2 * L);
    FloatVector s12 = FloatVector.fromArray(S, c, c1 + 2 * L);
    FloatVector s22 = FloatVector.fromArray(S, c, c2 + 2 * L);
    FloatVector s32 = FloatVector.fromArray(S, c, c3 + 2 * L);
    FloatVector s42 = FloatVector.fromArray(S, c, c4 + 2 * L);
    FloatVector s52 = FloatVector.fromArray(S, c, c5 + 2 * L);
    int ai = aOff;
    int bi = bOff;
    for (int t = 0; t < kc; t++, ai += MR, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
      FloatVector x = FloatVector.broadcast(S, a[ai]);
      s00 = x.fma(b0, s00);
      s01 = x.fma(b1, s01);
      s02 = x.fma(b2, s02);
      x = FloatVector.broadcast(S, a[ai + 1]);
      s10 = x.fma(b0, s10);
      s11 = x.fma(b1, s11);
      s12 = x.fma(b2, s12);
      x = FloatVector.broadcast(S, a[ai + 2]);
      s20 = x.fma(b0, s20);
      s21 = x.fma(b1, s21);
      s22 = x.fma(b2, s22);
      x = FloatVector.broadcast(S, a[ai + 3]);
      s30 = x.fma(b0, s30);
      s31 = x.fma(b1, s31);
      s32 = x.fma(b2, s32);
      x = FloatVector.broadcast(S, a[ai + 4]);
      s40 = x.fma(b0, s40);
      s41 = x.fma(b1, s41);
      s42 = x.fma(b2, s42);
      x = FloatVector.broadcast(S, a[ai + 5]);
      s50 = x.fma(b0, s50);
      s51 = x.fma(b1, s51);
      s52 = x.fma(b2, s52);
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
    s02.intoArray(c, c0 + 2 * L);
    s12.intoArray(c, c1 + 2 * L);
    s22.intoArray(c, c2 + 2 * L);
    s32.intoArray(c, c3 + 2 * L);
    s42.intoArray(c, c4 + 2 * L);
    s52.intoArray(c, c5 + 2 * L);
  }
}
