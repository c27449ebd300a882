package org.convcl.cpu;

/**
 * The matrix product under the convolution's forward and input-gradient passes: {@code c[i][p] +=
 * sum_t a(i, t) * b[t][p]} for {@code i < m, p < width, t < inner}: each product in float, widened
 * and summed in double, t in order. That is exactly the arithmetic of the axpy loops this replaced,
 * so results are bit-identical to them. (Products in double were ~25% faster still, but they do not
 * overflow where the float ones did, so a diverging network stayed finite and TrainerTest's
 * NaN-loss case failed.)
 *
 * <p>Layouts: {@code a(i, t) = a[aBase + i*aI + t*aT]} (strides let the caller pass a matrix or its
 * transpose without copying), {@code b [inner][width]} from {@code bBase}, {@code c [m][width]}
 * from {@code cBase}.
 *
 * <p>Why a register-blocked kernel: the plain axpy form ({@code acc[p] += w * b[t][p]} over a row)
 * loads and stores the accumulator for every product, and C2 on Java 17 does not vectorise a loop
 * that widens floats into a double accumulator (-XX:-UseSuperWord changes nothing), so it ran at
 * about one product per cycle. Here a 4x4 tile of c lives in 16 local doubles while t runs: each
 * step loads 4 values of a and 4 of b for 16 products, and nothing is stored until the tile is
 * done. Every c entry is still one sum in the fixed order t = 0, 1, ..., computed by one call, so
 * results do not depend on threads or tiling.
 */
final class Gemm {
  private Gemm() {}

  static void multiplyAdd(
      float[] a,
      int aBase,
      int aI,
      int aT,
      int m,
      float[] b,
      int bBase,
      int width,
      int inner,
      double[] c,
      int cBase) {
    int i = 0;
    for (; i + 3 < m; i += 4) {
      int p = 0;
      for (; p + 3 < width; p += 4) {
        tile4x4(a, aBase + i * aI, aI, aT, b, bBase + p, width, inner, c, cBase + i * width + p);
      }
      for (; p < width; p++) {
        for (int ii = i; ii < i + 4; ii++) {
          single(a, aBase + ii * aI, aT, b, bBase + p, width, inner, c, cBase + ii * width + p);
        }
      }
    }
    for (; i < m; i++) {
      for (int p = 0; p < width; p++) {
        single(a, aBase + i * aI, aT, b, bBase + p, width, inner, c, cBase + i * width + p);
      }
    }
  }

  /** The 4x4 tile of c at {@code c0} (rows of c {@code width} apart); a rows {@code aI} apart. */
  private static void tile4x4(
      float[] a,
      int a0,
      int aI,
      int aT,
      float[] b,
      int b0,
      int width,
      int inner,
      double[] c,
      int c0) {
    int c1 = c0 + width;
    int c2 = c1 + width;
    int c3 = c2 + width;
    double s00 = c[c0];
    double s01 = c[c0 + 1];
    double s02 = c[c0 + 2];
    double s03 = c[c0 + 3];
    double s10 = c[c1];
    double s11 = c[c1 + 1];
    double s12 = c[c1 + 2];
    double s13 = c[c1 + 3];
    double s20 = c[c2];
    double s21 = c[c2 + 1];
    double s22 = c[c2 + 2];
    double s23 = c[c2 + 3];
    double s30 = c[c3];
    double s31 = c[c3 + 1];
    double s32 = c[c3 + 2];
    double s33 = c[c3 + 3];
    int ai = a0;
    int bt = b0;
    for (int t = 0; t < inner; t++, ai += aT, bt += width) {
      float x0 = b[bt];
      float x1 = b[bt + 1];
      float x2 = b[bt + 2];
      float x3 = b[bt + 3];
      float w0 = a[ai];
      float w1 = a[ai + aI];
      float w2 = a[ai + 2 * aI];
      float w3 = a[ai + 3 * aI];
      s00 += w0 * x0;
      s01 += w0 * x1;
      s02 += w0 * x2;
      s03 += w0 * x3;
      s10 += w1 * x0;
      s11 += w1 * x1;
      s12 += w1 * x2;
      s13 += w1 * x3;
      s20 += w2 * x0;
      s21 += w2 * x1;
      s22 += w2 * x2;
      s23 += w2 * x3;
      s30 += w3 * x0;
      s31 += w3 * x1;
      s32 += w3 * x2;
      s33 += w3 * x3;
    }
    c[c0] = s00;
    c[c0 + 1] = s01;
    c[c0 + 2] = s02;
    c[c0 + 3] = s03;
    c[c1] = s10;
    c[c1 + 1] = s11;
    c[c1 + 2] = s12;
    c[c1 + 3] = s13;
    c[c2] = s20;
    c[c2 + 1] = s21;
    c[c2 + 2] = s22;
    c[c2 + 3] = s23;
    c[c3] = s30;
    c[c3 + 1] = s31;
    c[c3 + 2] = s32;
    c[c3 + 3] = s33;
  }

  /** One entry of c, for the edges that do not fill a tile; same order of terms. */
  private static void single(
      float[] a, int a0, int aT, float[] b, int b0, int width, int inner, double[] c, int ci) {
    double s = c[ci];
    for (int t = 0; t < inner; t++) {
      s += a[a0 + t * aT] * b[b0 + t * width];
    }
    c[ci] = s;
  }
}
