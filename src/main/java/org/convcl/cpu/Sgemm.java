package org.convcl.cpu;

/**
 * The blocked single-precision matrix product on one worker: {@code C[i][j] += sum_t A(i, t) * B(t,
 * j)} for {@code i in [i0, i1)}, {@code j in [j0, j1)}, {@code t in [0, k)}, with C at {@code
 * c[cOff + (i - i0)*ldc + (j - j0)]}. The loops are the BLIS ones: columns in blocks of nc, the
 * inner dimension in slices of kc (B's slice packed into nr-wide panels), rows in blocks of mc (A's
 * block packed into mr-tall panels), then the register tiles of the {@link MicroKernel}.
 *
 * <p>Edges: a tile that sticks out of C runs the same micro-kernel on a copy in the worker's edge
 * buffer (the packed panels are zero-padded), then the valid part is copied back; only that copy,
 * at most mr*nr floats per kc slice, is scalar.
 *
 * <p>Every C entry is the chain of fused multiply-adds over t = 0, 1, ..., k-1 starting from its
 * value on entry, whatever the blocking or which worker ran it; so splitting rows and columns among
 * threads (never t) gives bit-identical results.
 */
final class Sgemm {
  private Sgemm() {}

  /**
   * A whole A operand packed once ({@link #prepack}) and shared by many calls, such as a layer's
   * weights across the images of a batch: slice {@code pc} of the inner dimension starts at {@code
   * off + pc * paddedRows}, laid out as {@link KPanel#packBlock} writes it for rows {@code [0,
   * rows)}, rows padded to a multiple of mr.
   */
  record PackedA(float[] data, int off, int paddedRows) {}

  /** The floats {@link #prepack} writes for an {@code m x k} A. */
  static int packedSize(GemmBlocking blk, int m, int k) {
    return roundUp(m, blk.mr()) * k;
  }

  /** Packs all of A (rows {@code [0, m)}) into {@code dst} from {@code off}. */
  static PackedA prepack(GemmBlocking blk, KPanel a, int m, int k, float[] dst, int off) {
    int padded = roundUp(m, blk.mr());
    for (int pc = 0; pc < k; pc += blk.kc()) {
      a.packBlock(dst, off + pc * padded, pc, Math.min(blk.kc(), k - pc), 0, m, blk.mr());
    }
    return new PackedA(dst, off, padded);
  }

  private static int roundUp(int v, int step) {
    return (v + step - 1) / step * step;
  }

  static void block(
      MicroKernel kernel,
      GemmBlocking blk,
      GemmScratch s,
      KPanel a,
      KPanel b,
      int i0,
      int i1,
      int j0,
      int j1,
      int k,
      float[] c,
      int cOff,
      int ldc) {
    block(kernel, blk, s, a, null, b, i0, i1, j0, j1, k, c, cOff, ldc);
  }

  /** As above with A already packed (then {@code i0} must be a multiple of mr). */
  static void block(
      MicroKernel kernel,
      GemmBlocking blk,
      GemmScratch s,
      PackedA packed,
      KPanel b,
      int i0,
      int i1,
      int j0,
      int j1,
      int k,
      float[] c,
      int cOff,
      int ldc) {
    block(kernel, blk, s, null, packed, b, i0, i1, j0, j1, k, c, cOff, ldc);
  }

  private static void block(
      MicroKernel kernel,
      GemmBlocking blk,
      GemmScratch s,
      KPanel a,
      PackedA packed,
      KPanel b,
      int i0,
      int i1,
      int j0,
      int j1,
      int k,
      float[] c,
      int cOff,
      int ldc) {
    int mr = blk.mr();
    int nr = blk.nr();
    for (int jc = j0; jc < j1; jc += blk.nc()) {
      int nc = Math.min(blk.nc(), j1 - jc);
      int nPanels = (nc + nr - 1) / nr;
      for (int pc = 0; pc < k; pc += blk.kc()) {
        int kc = Math.min(blk.kc(), k - pc);
        float[] pb = s.b(nPanels * nr * kc);
        b.packBlock(pb, 0, pc, kc, jc, nc, nr);
        for (int ic = i0; ic < i1; ic += blk.mc()) {
          int mc = Math.min(blk.mc(), i1 - ic);
          int mPanels = (mc + mr - 1) / mr;
          float[] pa;
          int paOff;
          if (packed == null) {
            pa = s.a(mPanels * mr * kc);
            paOff = 0;
            a.packBlock(pa, 0, pc, kc, ic, mc, mr);
          } else {
            pa = packed.data();
            paOff = packed.off() + pc * packed.paddedRows() + ic * kc;
          }
          int cBlock = cOff + (ic - i0) * ldc + (jc - j0);
          macro(kernel, s, kc, pa, paOff, mc, pb, nc, c, cBlock, ldc);
        }
      }
    }
  }

  /** All register tiles of one (mc x nc) block of C from packed A and B blocks. */
  private static void macro(
      MicroKernel kernel,
      GemmScratch s,
      int kc,
      float[] pa,
      int paOff,
      int mc,
      float[] pb,
      int nc,
      float[] c,
      int cBlock,
      int ldc) {
    int mr = kernel.mr();
    int nr = kernel.nr();
    for (int jr = 0; jr < nc; jr += nr) {
      int cols = Math.min(nr, nc - jr);
      int bOff = jr * kc;
      for (int ir = 0; ir < mc; ir += mr) {
        int rows = Math.min(mr, mc - ir);
        int aOff = paOff + ir * kc;
        int cTile = cBlock + ir * ldc + jr;
        if (rows == mr && cols == nr) {
          kernel.tile(kc, pa, aOff, pb, bOff, c, cTile, ldc);
        } else {
          edgeTile(kernel, s.edge, kc, pa, aOff, pb, bOff, c, cTile, ldc, rows, cols);
        }
      }
    }
  }

  private static void edgeTile(
      MicroKernel kernel,
      float[] edge,
      int kc,
      float[] pa,
      int aOff,
      float[] pb,
      int bOff,
      float[] c,
      int cTile,
      int ldc,
      int rows,
      int cols) {
    int nr = kernel.nr();
    // The entries past rows x cols are never copied back, and each entry of a tile is computed
    // from its own start value alone, so whatever the edge buffer held there does not matter.
    for (int i = 0; i < rows; i++) {
      System.arraycopy(c, cTile + i * ldc, edge, i * nr, cols);
    }
    kernel.tile(kc, pa, aOff, pb, bOff, edge, 0, nr);
    for (int i = 0; i < rows; i++) {
      System.arraycopy(edge, i * nr, c, cTile + i * ldc, cols);
    }
  }
}
