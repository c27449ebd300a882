package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Test;

/**
 * How {@link CpuGemm#multiply} deals C's register tiles out to its tasks, and that the LeNet dense
 * products (M = 64 against the 6-row tile, N = 500 and 800 against the 24-column one, K = 64) give
 * the same bits for any thread count.
 */
class GemmSplitTest {
  @Test
  void blocksCoverEveryTileOnceAndDifferByAtMostOne() {
    for (int tiles = 1; tiles <= 90; tiles++) {
      for (int blocks = 1; blocks <= Math.min(tiles, 9); blocks++) {
        String ctx = "tiles=" + tiles + " blocks=" + blocks;
        assertEquals(0, CpuGemm.split(tiles, blocks, 0), ctx);
        assertEquals(tiles, CpuGemm.split(tiles, blocks, blocks), ctx);
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int b = 0; b < blocks; b++) {
          int size = CpuGemm.split(tiles, blocks, b + 1) - CpuGemm.split(tiles, blocks, b);
          min = Math.min(min, size);
          max = Math.max(max, size);
        }
        assertTrue(min >= 1 && max - min <= 1, ctx + ": block sizes " + min + ".." + max);
      }
    }
  }

  @Test
  void lenetDenseShapesGiveTheSameBitsForAnyThreadCount() {
    // {m, n, k, A transposed, B transposed}: dense500's forward, input and weight gradients.
    int[][] shapes = {{64, 500, 800, 0, 1}, {64, 800, 500, 0, 0}, {500, 800, 64, 1, 0}};
    Random r = new Random(11);
    for (int[] s : shapes) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      float[] a = Rand.floats(r, m * k);
      float[] b = Rand.floats(r, k * n);
      float[] start = Rand.floats(r, n);
      KPanel pa = s[3] == 1 ? new DenseKPanel(a, 0, m, 1) : new DenseKPanel(a, 0, 1, k);
      KPanel pb = s[4] == 1 ? new DenseKPanel(b, 0, 1, k) : new DenseKPanel(b, 0, n, 1);
      float[] first = null;
      for (int threads = 1; threads <= 4; threads++) {
        float[] c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN);
        try (Parallel par = new Parallel(threads)) {
          CpuGemm.forMachine(par, MicroKernels.best())
              .multiply(m, n, k, pa, pb, start, c, 0, n, null);
        }
        if (first == null) {
          first = c;
        } else {
          assertArrayEquals(first, c, "m=" + m + " n=" + n + " k=" + k + " threads=" + threads);
        }
      }
    }
  }
}
