package org.convcl.testutil;

import java.util.Random;

/**
 * Seeded random test data. Every test passes its own {@link Random}, so a failure can be replayed
 * from its seed.
 */
public final class Rand {
  private Rand() {}

  /** Uniform floats in [-1, 1). */
  public static float[] floats(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() * 2 - 1;
    }
    return a;
  }

  /** Uniform ints in [0, bound). */
  public static int[] ints(Random r, int n, int bound) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextInt(bound);
    }
    return a;
  }

  /** An int in [lo, hi], both inclusive. */
  public static int between(Random r, int lo, int hi) {
    return lo + r.nextInt(hi - lo + 1);
  }
}
