package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GEMM core against a naive double-precision product on seeded random sizes (edges of the
 * register tile and of the cache blocks: 1, 7, 17, 255, 513, ...), with A and B in both layouts.
 *
 * <p>Tolerance: each C entry is a chain of k fused multiply-adds in float from its initial value
 * c0, so its error is at most gamma_(k+1) * (|c0| + sum_t |a_t b_t|) with gamma_m = m*u/(1 - m*u),
 * u = 2^-24 (Higham, Accuracy and Stability, 3.1). The check uses exactly that bound per entry; a
 * wrong or missing term changes an entry by |a_t b_t|, about 0.25 on average, far above it.
 */
class SgemmTest {
  private static final int[] SIZES = {1, 2, 5, 7, 16, 17, 31, 33, 64, 100, 255, 257, 513};

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  @ParameterizedTest(name = "gemm seed {0}")
  @MethodSource("seeds")
  void matchesNaiveDoubleProductInEveryLayout(long seed) {
    Random r = new Random(seed);
    int m = pick(r);
    int n = pick(r);
    int k = pick(r);
    if ((long) m * n * k > 40_000_000L) {
      k = Math.max(1, (int) (40_000_000L / ((long) m * n)));
    }
    boolean aT = r.nextBoolean();
    boolean bT = r.nextBoolean();
    float[] a = Rand.floats(r, m * k);
    float[] b = Rand.floats(r, k * n);
    // C's start: one row of values (a layer's bias), repeated down the rows.
    float[] start = Rand.floats(r, n);
    float[] c0 = new float[m * n];
    for (int i = 0; i < m; i++) {
      System.arraycopy(start, 0, c0, i * n, n);
    }
    String ctx = "seed " + seed + ": m=" + m + " n=" + n + " k=" + k + " aT=" + aT + " bT=" + bT;
    // A(i, t): row-major [m][k], or stored transposed as [k][m].
    KPanel pa = aT ? new DenseKPanel(a, 0, m, 1) : new DenseKPanel(a, 0, 1, k);
    // B(t, j): row-major [k][n], or stored transposed as [n][k].
    KPanel pb = bT ? new DenseKPanel(b, 0, 1, k) : new DenseKPanel(b, 0, n, 1);
    float[] first = null;
    for (int threads = 1; threads <= 3; threads++) {
      for (MicroKernel kernel : new MicroKernel[] {MicroKernels.best(), MicroKernels.scalar()}) {
        float[] c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN); // every entry must be written
        try (Parallel par = new Parallel(threads)) {
          CpuGemm.forMachine(par, kernel).multiply(m, n, k, pa, pb, start, c, 0, n, null);
        }
        if (first == null) {
          checkAgainstNaive(ctx, m, n, k, a, aT, b, bT, c0, c);
          first = c;
        } else {
          // The same bits for any thread count and either kernel (see MicroKernel).
          assertArrayEquals(first, c, ctx + " threads=" + threads + " kernel=" + kernel);
        }
      }
    }
  }

  @Test
  void blockingDoesNotChangeAResult() {
    Random r = new Random(7);
    int m = 70;
    int n = 90;
    int k = 300;
    float[] a = Rand.floats(r, m * k);
    float[] b = Rand.floats(r, k * n);
    KPanel pa = new DenseKPanel(a, 0, 1, k);
    KPanel pb = new DenseKPanel(b, 0, n, 1);
    MicroKernel kernel = MicroKernels.best();
    GemmBlocking base = GemmBlocking.derive(kernel, CacheSizes.DEFAULT);
    float[] expected = null;
    for (int[] kmn : new int[][] {{16, 6, 32}, {37, 12, 64}, {1024, 4096, 8192}, {128, 60, 96}}) {
      float[] c = new float[m * n];
      java.util.Arrays.fill(c, Float.NaN);
      try (Parallel par = new Parallel(2)) {
        new CpuGemm(par, kernel, base.with(kmn[0], kmn[1], kmn[2]))
            .multiply(m, n, k, pa, pb, null, c, 0, n, null);
      }
      if (expected == null) {
        expected = c;
      } else {
        assertArrayEquals(expected, c, "blocking kc/mc/nc " + kmn[0] + "/" + kmn[1] + "/" + kmn[2]);
      }
    }
  }

  @Test
  void blockingIsDerivedFromTheCacheSizes() {
    MicroKernel kernel = MicroKernels.best();
    GemmBlocking b = GemmBlocking.derive(kernel, new CacheSizes(32 << 10, 1 << 20, 32 << 20));
    int nr = kernel.nr();
    assertTrue(b.kc() * nr * 4 <= (32 << 10) / 2, "B micro-panel in half of L1: " + b);
    assertTrue(b.mc() * b.kc() * 4 <= (1 << 20) / 2, "A block in half of L2: " + b);
    assertTrue(b.mc() % kernel.mr() == 0 && b.nc() % nr == 0, b.toString());
    assertTrue(CacheSizes.parseSize("32K") == 32768 && CacheSizes.parseSize("1M") == 1 << 20);
    assertTrue(CacheSizes.parseSize("x") == -1 && CacheSizes.parseSize("") == -1);
  }

  private static int pick(Random r) {
    return SIZES[r.nextInt(SIZES.length)];
  }

  private static void checkAgainstNaive(
      String ctx,
      int m,
      int n,
      int k,
      float[] a,
      boolean aT,
      float[] b,
      boolean bT,
      float[] c0,
      float[] c) {
    double u = Math.ulp(1.0f) / 2;
    double gamma = (k + 1) * u / (1 - (k + 1) * u);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double sum = c0[i * n + j];
        double mag = Math.abs(c0[i * n + j]);
        for (int t = 0; t < k; t++) {
          double p =
              (double) (aT ? a[t * m + i] : a[i * k + t]) * (bT ? b[j * k + t] : b[t * n + j]);
          sum += p;
          mag += Math.abs(p);
        }
        float got = c[i * n + j];
        if (!(Math.abs(got - sum) <= gamma * mag)) {
          fail(
              ctx
                  + ": C["
                  + i
                  + "]["
                  + j
                  + "] = "
                  + got
                  + ", naive "
                  + sum
                  + ", bound "
                  + gamma * mag);
        }
      }
    }
  }
}
