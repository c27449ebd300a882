package org.convcl.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link DirectConvKernel} on jdk.incubator.vector, vectors of 8 floats ({@code SPECIES_256}).
 *
 * <p>Forward: a tile of 4 filters x 3 slots in 12 accumulators that start as the bias; per tap, 3
 * vector loads straight from the image (one per slot), 4 broadcast weights, 12 fused multiply-adds.
 * A row's last, shorter slot is loaded in full (the plan's padding keeps it inside the buffer) and
 * stored through {@code tmp}, only its own windows.
 *
 * <p>Filter gradient: a tile of 4 filters x 4 taps in 16 accumulators of per-lane partial sums; per
 * slot, 4 loads of the output gradient, 4 of the image, 16 fused multiply-adds. A shorter slot's
 * extra lanes read zeros of the output gradient and of the image (the plan's zero columns), so no
 * load is masked and the loop has no branch (in JDK 17 vectors merged from two branches are boxed).
 * At the end each accumulator's lanes are added in lane order through {@code tmp}.
 *
 * <p>Filter gradient from a max pool's gradient: 5 accumulators, one per tap row, each a vector
 * over the row's taps; per chosen cell, one broadcast gradient, 5 loads of the image, 5 fused
 * multiply-adds. Lanes past the kernel's width collect products that are not stored.
 *
 * <p>A tile's trailing slots, taps or filters beyond the layer's repeat the last one (or have zero
 * weights) and are not stored, so there is one loop body per pass.
 */
final class SimdDirectConvKernel implements DirectConvKernel {
  private static final VectorSpecies<Float> S = SimdSpecies.FLOAT;
  private static final int SLOTS = 3;
  private static final int TAPS = 4;

  /** Refuses where 8-float vectors are not native (the matrix kernel then uses narrower ones). */
  SimdDirectConvKernel() {
    if (S.length() != LANES || FloatVector.SPECIES_PREFERRED.length() < LANES) {
      throw new IllegalStateException(
          "the preferred vector has " + FloatVector.SPECIES_PREFERRED.length() + " floats");
    }
  }

  @Override
  public boolean vectorized() {
    return true;
  }

  @Override
  public void forward(
      DirectConvPlan p,
      float[] x,
      int xBase,
      float[] w,
      int wOff,
      float[] bias,
      int k0,
      float[] out,
      int outBase,
      int filters,
      float[] tmp) {
    int slots = p.slots();
    float b0 = biasOf(bias, k0, 0, filters);
    float b1 = biasOf(bias, k0, 1, filters);
    float b2 = biasOf(bias, k0, 2, filters);
    float b3 = biasOf(bias, k0, 3, filters);
    for (int s = 0; s < slots; s += SLOTS) {
      forwardSlots(p, s, x, xBase, w, wOff, b0, b1, b2, b3, out, outBase, filters, tmp);
    }
  }

  /**
   * Slots {@code [s, s + SLOTS)} of {@link #forward}: a method of its own, called once per slot
   * tile, so the JIT compiles it by its call count (C1 within the warm-up's first layer) instead of
   * only by on-stack replacement of a long loop that ran interpreted until then (docs/cpu.md, "The
   * kernels' bodies as methods of their own").
   */
  private static void forwardSlots(
      DirectConvPlan p,
      int s,
      float[] x,
      int xBase,
      float[] w,
      int wOff,
      float b0,
      float b1,
      float b2,
      float b3,
      float[] out,
      int outBase,
      int filters,
      float[] tmp) {
    int slots = p.slots();
    int taps = p.taps();
    int[] tapIn = p.tapIn();
    int[] slotIn = p.slotIn();
    int win = p.windows();
    int sb = Math.min(s + 1, slots - 1);
    int sc = Math.min(s + 2, slots - 1);
    int xa = xBase + slotIn[s];
    int xb = xBase + slotIn[sb];
    int xc = xBase + slotIn[sc];
    FloatVector a0 = FloatVector.broadcast(S, b0);
    FloatVector a1 = FloatVector.broadcast(S, b1);
    FloatVector a2 = FloatVector.broadcast(S, b2);
    FloatVector a3 = FloatVector.broadcast(S, b3);
    FloatVector c0 = a0;
    FloatVector c1 = a1;
    FloatVector c2 = a2;
    FloatVector c3 = a3;
    FloatVector e0 = a0;
    FloatVector e1 = a1;
    FloatVector e2 = a2;
    FloatVector e3 = a3;
    for (int t = 0, wi = wOff; t < taps; t++, wi += FILTERS) {
      int off = tapIn[t];
      FloatVector va = FloatVector.fromArray(S, x, xa + off);
      FloatVector vb = FloatVector.fromArray(S, x, xb + off);
      FloatVector vc = FloatVector.fromArray(S, x, xc + off);
      FloatVector w0 = FloatVector.broadcast(S, w[wi]);
      a0 = w0.fma(va, a0);
      c0 = w0.fma(vb, c0);
      e0 = w0.fma(vc, e0);
      FloatVector w1 = FloatVector.broadcast(S, w[wi + 1]);
      a1 = w1.fma(va, a1);
      c1 = w1.fma(vb, c1);
      e1 = w1.fma(vc, e1);
      FloatVector w2 = FloatVector.broadcast(S, w[wi + 2]);
      a2 = w2.fma(va, a2);
      c2 = w2.fma(vb, c2);
      e2 = w2.fma(vc, e2);
      FloatVector w3 = FloatVector.broadcast(S, w[wi + 3]);
      a3 = w3.fma(va, a3);
      c3 = w3.fma(vb, c3);
      e3 = w3.fma(vc, e3);
    }
    storeSlot(p, s, out, outBase, win, filters, tmp, a0, a1, a2, a3);
    if (s + 1 < slots) {
      storeSlot(p, s + 1, out, outBase, win, filters, tmp, c0, c1, c2, c3);
    }
    if (s + 2 < slots) {
      storeSlot(p, s + 2, out, outBase, win, filters, tmp, e0, e1, e2, e3);
    }
  }

  private static float biasOf(float[] bias, int k0, int i, int filters) {
    return bias == null || i >= filters ? 0f : bias[k0 + i];
  }

  /** The filters' results of slot s: straight into out when full, else its windows through tmp. */
  private static void storeSlot(
      DirectConvPlan p,
      int s,
      float[] out,
      int outBase,
      int win,
      int filters,
      float[] tmp,
      FloatVector r0,
      FloatVector r1,
      FloatVector r2,
      FloatVector r3) {
    int o = outBase + p.slotOut()[s];
    int lanes = p.slotLanes()[s];
    store(r0, out, o, lanes, tmp);
    if (filters > 1) {
      store(r1, out, o + win, lanes, tmp);
    }
    if (filters > 2) {
      store(r2, out, o + 2 * win, lanes, tmp);
    }
    if (filters > 3) {
      store(r3, out, o + 3 * win, lanes, tmp);
    }
  }

  private static void store(FloatVector v, float[] out, int o, int lanes, float[] tmp) {
    if (lanes == LANES) {
      v.intoArray(out, o);
    } else {
      v.intoArray(tmp, 0);
      System.arraycopy(tmp, 0, out, o, lanes);
    }
  }

  @Override
  public void filterGradient(
      DirectConvPlan p,
      float[] x,
      int xBase,
      int xImage,
      float[] dy,
      int dyBase,
      int dyImage,
      int images,
      float[] out,
      int outOff,
      int filters,
      float[] tmp) {
    int taps = p.taps();
    for (int j = 0; j < taps; j += TAPS) {
      gradientTaps(p, j, x, xBase, xImage, dy, dyBase, dyImage, images, out, outOff, filters, tmp);
    }
  }

  /**
   * Taps {@code [j, j + TAPS)} of {@link #filterGradient}: a method of its own, called once per tap
   * tile, so the JIT compiles it by its call count (see {@link #forwardSlots}).
   */
  private static void gradientTaps(
      DirectConvPlan p,
      int j,
      float[] x,
      int xBase,
      int xImage,
      float[] dy,
      int dyBase,
      int dyImage,
      int images,
      float[] out,
      int outOff,
      int filters,
      float[] tmp) {
    int taps = p.taps();
    int[] tapIn = p.tapIn();
    int[] slotIn = p.slotIn();
    int slots = p.slots();
    int plane = p.dyPlane();
    // Filters past the layer's read filter 0's gradient again and are not stored.
    int d1 = filters > 1 ? plane : 0;
    int d2 = filters > 2 ? 2 * plane : 0;
    int d3 = filters > 3 ? 3 * plane : 0;
    int t0 = tapIn[j];
    int t1 = tapIn[Math.min(j + 1, taps - 1)];
    int t2 = tapIn[Math.min(j + 2, taps - 1)];
    int t3 = tapIn[Math.min(j + 3, taps - 1)];
    FloatVector s00 = FloatVector.zero(S);
    FloatVector s01 = s00;
    FloatVector s02 = s00;
    FloatVector s03 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s12 = s00;
    FloatVector s13 = s00;
    FloatVector s20 = s00;
    FloatVector s21 = s00;
    FloatVector s22 = s00;
    FloatVector s23 = s00;
    FloatVector s30 = s00;
    FloatVector s31 = s00;
    FloatVector s32 = s00;
    FloatVector s33 = s00;
    // One flat loop over (image, slot): nested loops that carry vectors defeat the JIT's box
    // elimination in JDK 17 (every step allocated).
    int xm = xBase;
    int dm = dyBase;
    for (int q = 0, s = 0, steps = images * slots; q < steps; q++) {
      int xs = xm + slotIn[s];
      int ds = dm + s * LANES;
      FloatVector g0 = FloatVector.fromArray(S, dy, ds);
      FloatVector g1 = FloatVector.fromArray(S, dy, ds + d1);
      FloatVector g2 = FloatVector.fromArray(S, dy, ds + d2);
      FloatVector g3 = FloatVector.fromArray(S, dy, ds + d3);
      FloatVector x0 = FloatVector.fromArray(S, x, xs + t0);
      FloatVector x1 = FloatVector.fromArray(S, x, xs + t1);
      FloatVector x2 = FloatVector.fromArray(S, x, xs + t2);
      FloatVector x3 = FloatVector.fromArray(S, x, xs + t3);
      s00 = g0.fma(x0, s00);
      s01 = g0.fma(x1, s01);
      s02 = g0.fma(x2, s02);
      s03 = g0.fma(x3, s03);
      s10 = g1.fma(x0, s10);
      s11 = g1.fma(x1, s11);
      s12 = g1.fma(x2, s12);
      s13 = g1.fma(x3, s13);
      s20 = g2.fma(x0, s20);
      s21 = g2.fma(x1, s21);
      s22 = g2.fma(x2, s22);
      s23 = g2.fma(x3, s23);
      s30 = g3.fma(x0, s30);
      s31 = g3.fma(x1, s31);
      s32 = g3.fma(x2, s32);
      s33 = g3.fma(x3, s33);
      if (++s == slots) {
        s = 0;
        xm += xImage;
        dm += dyImage;
      }
    }
    int taken = Math.min(TAPS, taps - j);
    int o = outOff + j;
    storeRow(out, o, taken, tmp, s00, s01, s02, s03);
    if (filters > 1) {
      storeRow(out, o + taps, taken, tmp, s10, s11, s12, s13);
    }
    if (filters > 2) {
      storeRow(out, o + 2 * taps, taken, tmp, s20, s21, s22, s23);
    }
    if (filters > 3) {
      storeRow(out, o + 3 * taps, taken, tmp, s30, s31, s32, s33);
    }
  }

  /**
   * A full slot is one vector read-add-write of dx; a shorter one adds its windows one by one (a
   * full-width write would add the next windows' values onto cells that are not its own).
   */
  @Override
  public void fold(
      DirectConvPlan p,
      float[] dcol,
      int dOff,
      int ld,
      int p0,
      int s0,
      int s1,
      float[] dx,
      int xBase) {
    int[] tapIn = p.tapIn();
    int[] slotIn = p.slotIn();
    int[] slotOut = p.slotOut();
    int[] slotLanes = p.slotLanes();
    for (int j : p.foldOrder()) {
      int in = xBase + tapIn[j];
      int d = dOff + j * ld - p0;
      for (int s = s0; s < s1; s++) {
        int xi = in + slotIn[s];
        int di = d + slotOut[s];
        int lanes = slotLanes[s];
        if (lanes == LANES) {
          FloatVector.fromArray(S, dx, xi)
              .add(FloatVector.fromArray(S, dcol, di))
              .intoArray(dx, xi);
        } else {
          for (int l = 0; l < lanes; l++) {
            dx[xi + l] += dcol[di + l];
          }
        }
      }
    }
  }

  /** One filter's entries of the tile's taps, each the lane sum of its partials. */
  private static void storeRow(
      float[] out,
      int o,
      int taken,
      float[] tmp,
      FloatVector p0,
      FloatVector p1,
      FloatVector p2,
      FloatVector p3) {
    out[o] = laneSum(p0, tmp);
    if (taken > 1) {
      out[o + 1] = laneSum(p1, tmp);
    }
    if (taken > 2) {
      out[o + 2] = laneSum(p2, tmp);
    }
    if (taken > 3) {
      out[o + 3] = laneSum(p3, tmp);
    }
  }

  private static float laneSum(FloatVector v, float[] tmp) {
    v.intoArray(tmp, 0);
    return ScalarDirectConvKernel.laneSum(tmp);
  }

  @Override
  public void gatherGradient(
      float[] x,
      int[] xo,
      float[] g,
      int count,
      int vectorCount,
      int[] rowOff,
      int rowAt,
      int rows,
      int width,
      float[] out,
      int outOff,
      float[] tmp) {
    // Five accumulators (GATHER_ROWS); rows past the tile's repeat its last one and are not
    // stored.
    int r0 = rowOff[rowAt];
    int r1 = rowOff[rowAt + Math.min(1, rows - 1)];
    int r2 = rowOff[rowAt + Math.min(2, rows - 1)];
    int r3 = rowOff[rowAt + Math.min(3, rows - 1)];
    int r4 = rowOff[rowAt + Math.min(4, rows - 1)];
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    FloatVector a4 = a0;
    for (int q = 0; q < vectorCount; q++) {
      int b = xo[q];
      FloatVector v = FloatVector.broadcast(S, g[q]);
      a0 = v.fma(FloatVector.fromArray(S, x, b + r0), a0);
      a1 = v.fma(FloatVector.fromArray(S, x, b + r1), a1);
      a2 = v.fma(FloatVector.fromArray(S, x, b + r2), a2);
      a3 = v.fma(FloatVector.fromArray(S, x, b + r3), a3);
      a4 = v.fma(FloatVector.fromArray(S, x, b + r4), a4);
    }
    a0.intoArray(tmp, 0);
    copyRow(tmp, out, outOff, width, 0, rows);
    a1.intoArray(tmp, 0);
    copyRow(tmp, out, outOff, width, 1, rows);
    a2.intoArray(tmp, 0);
    copyRow(tmp, out, outOff, width, 2, rows);
    a3.intoArray(tmp, 0);
    copyRow(tmp, out, outOff, width, 3, rows);
    a4.intoArray(tmp, 0);
    copyRow(tmp, out, outOff, width, 4, rows);
    // The cells whose vector loads could pass the end of x: each entry's chain goes on lane by
    // lane.
    if (vectorCount < count) {
      ScalarDirectConvKernel.gatherCells(
          x, xo, g, vectorCount, count, rowOff, rowAt, rows, width, out, outOff);
    }
  }

  /** Row {@code i}'s sums from {@code tmp} into out (none past the tile's rows). */
  private static void copyRow(float[] tmp, float[] out, int o, int width, int i, int rows) {
    if (i < rows) {
      System.arraycopy(tmp, 0, out, o + i * width, width);
    }
  }
}
