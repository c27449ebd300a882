package org.convcl.cpu;

import java.util.List;

/**
 * The cache blocking of {@link Sgemm}: C is computed in {@code mr x nr} register tiles (the {@link
 * MicroKernel}'s), the inner dimension in slices of {@code kc}, rows in blocks of {@code mc},
 * columns in blocks of {@code nc}. Derived from the cache sizes ({@link #derive}):
 *
 * <ul>
 *   <li>{@code kc}: one packed B micro-panel ({@code kc x nr} floats) stays in L1 while the loop
 *       over the A micro-panels streams past it, so it may take half of L1: {@code kc = L1 / (2 * 4
 *       * nr)}, a multiple of 8 in [16, 1024] (32 KiB L1 and nr = 32: kc = 128; the A micro-panel,
 *       {@code mr x kc}, takes another 3 KiB).
 *   <li>{@code mc}: the packed A block ({@code mc x kc}) is reread for every B micro-panel, so it
 *       should stay in L2: half of it, {@code mc = L2 / (2 * 4 * kc)}, a multiple of mr in [mr,
 *       4096] (1 MiB L2: 1020).
 *   <li>{@code nc}: the packed B block ({@code kc x nc}) is reread for every A block, from L3: a
 *       quarter of it, {@code nc = L3 / (4 * 4 * kc)}, a multiple of nr in [nr, 8192].
 * </ul>
 *
 * None of these changes a result: every entry of C is the same chain of fused multiply-adds in the
 * order of the inner index whatever the blocking (see {@link MicroKernel}).
 */
record GemmBlocking(int mr, int nr, int kc, int mc, int nc) {
  static final int FLOAT = Float.BYTES;

  GemmBlocking {
    check("kc", kc, 1, 1 << 16);
    check("mc", mc, mr, 1 << 16);
    check("nc", nc, nr, 1 << 20);
  }

  private static void check(String name, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          "GEMM block " + name + " = " + v + " outside [" + min + ", " + max + "]");
    }
  }

  /** The blocking for {@code kernel} on caches of these sizes, as derived in the class comment. */
  static GemmBlocking derive(MicroKernel kernel, CacheSizes caches) {
    int mr = kernel.mr();
    int nr = kernel.nr();
    int kc = clamp(caches.l1d() / (2 * FLOAT * nr) / 8 * 8, 16, 1024);
    int mc = clamp(caches.l2() / (2 * FLOAT * kc) / mr * mr, mr, 4096 / mr * mr);
    int nc = clamp(caches.l3() / (4 * FLOAT * kc) / nr * nr, nr, 8192 / nr * nr);
    return new GemmBlocking(mr, nr, kc, mc, nc);
  }

  private static int clamp(int v, int lo, int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** The knobs a tuner may turn, with this blocking's values as defaults. */
  List<Tunable> tunables() {
    return List.of(
        new Tunable("kc", kc, 16, 1024),
        new Tunable("mc", mc, mr, 4096),
        new Tunable("nc", nc, nr, 8192));
  }

  /** This blocking with {@code kc, mc, nc} replaced (rounded to the register tile). */
  GemmBlocking with(int newKc, int newMc, int newNc) {
    return new GemmBlocking(
        mr, nr, newKc, Math.max(mr, newMc / mr * mr), Math.max(nr, newNc / nr * nr));
  }
}
