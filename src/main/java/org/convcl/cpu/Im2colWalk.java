package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * The im2col relation for one filter tap over a range of windows of one image, walked row of
 * windows by row: window {@code p = oh*outW + ow} reads, through tap {@code j = (ci*R + r)*S + s},
 * the input cell {@code (ci, oh*strideH - padTop + r*dilationH, ow*strideW - padLeft +
 * s*dilationW)} of the group's channels, or padding (zero); the per-tap constants come from a
 * {@link TapTable}. Both directions share the walk: {@link #gather} and {@link #gatherPanels} write
 * the values into a buffer (zeros for padding), {@link #scatterAdd} adds buffer values back onto
 * the cells they came from (the adjoint, "col2im"), so packing im2col tiles for the forward and
 * filter-gradient products and folding the input gradient use one definition.
 */
final class Im2colWalk {
  private Im2colWalk() {}

  /**
   * {@code buf[q + (p - p0)*step] = x(tap, p)} for windows {@code p in [p0, p0 + count)} of the
   * image whose group channels start at {@code x[planes]}.
   */
  static void gather(
      ConvGeometry g,
      TapTable taps,
      float[] x,
      int planes,
      int tap,
      int p0,
      int count,
      float[] buf,
      int q,
      int step) {
    walk(g, taps, x, planes, tap, p0, count, buf, q, step, false);
  }

  /**
   * {@link #gather} for the four taps {@code tap .. tap + 3} at once: {@code buf[q + i + (p -
   * p0)*step] = x(tap + i, p)}. Where all four read real cells of a row of windows, one loop reads
   * the four input streams and writes four adjacent floats per window (a quarter of the scattered
   * stores of four single-tap walks); the windows where some tap reads padding go tap by tap.
   */
  static void gather4(
      ConvGeometry g,
      TapTable taps,
      float[] x,
      int planes,
      int tap,
      int p0,
      int count,
      float[] buf,
      int q,
      int step) {
    int sw = g.params().strideW();
    int sh = g.params().strideH();
    int outW = g.outW();
    int lo = Math.max(Math.max(taps.lo(tap), taps.lo(tap + 1)), taps.lo(tap + 2));
    lo = Math.max(lo, taps.lo(tap + 3));
    int hi = Math.min(Math.min(taps.hi(tap), taps.hi(tap + 1)), taps.hi(tap + 2));
    hi = Math.min(hi, taps.hi(tap + 3));
    int oh = p0 / outW;
    int ow = p0 - oh * outW;
    int end = p0 + count;
    int b = q;
    for (int p = p0; p < end; oh++, ow = 0) {
      int run = Math.min(end - p, outW - ow);
      int stop = ow + run;
      int bq = b - ow * step;
      boolean real = true;
      for (int i = 0; i < 4; i++) {
        int ih = oh * sh + taps.row0(tap + i);
        real &= ih >= 0 && ih < g.h();
      }
      int a0 = real ? Math.min(Math.max(lo, ow), stop) : stop;
      int a1 = real ? Math.max(a0, Math.min(hi, stop)) : stop;
      for (int i = 0; i < 4; i++) {
        int ih = oh * sh + taps.row0(tap + i);
        boolean realRow = ih >= 0 && ih < g.h();
        int src = planes + taps.plane(tap + i) + ih * g.w() + taps.column0(tap + i);
        copy(x, src, sw, buf, bq + i, step, ow, a0, taps.lo(tap + i), taps.hi(tap + i), realRow);
        copy(x, src, sw, buf, bq + i, step, a1, stop, taps.lo(tap + i), taps.hi(tap + i), realRow);
      }
      if (a0 < a1) {
        int row = oh * sh;
        int s0 = planes + taps.plane(tap) + (row + taps.row0(tap)) * g.w() + taps.column0(tap);
        int s1 =
            planes
                + taps.plane(tap + 1)
                + (row + taps.row0(tap + 1)) * g.w()
                + taps.column0(tap + 1);
        int s2 =
            planes
                + taps.plane(tap + 2)
                + (row + taps.row0(tap + 2)) * g.w()
                + taps.column0(tap + 2);
        int s3 =
            planes
                + taps.plane(tap + 3)
                + (row + taps.row0(tap + 3)) * g.w()
                + taps.column0(tap + 3);
        for (int o = a0; o < a1; o++) {
          int d = bq + o * step;
          int c = o * sw;
          buf[d] = x[s0 + c];
          buf[d + 1] = x[s1 + c];
          buf[d + 2] = x[s2 + c];
          buf[d + 3] = x[s3 + c];
        }
      }
      b += run * step;
      p += run;
    }
  }

  /** {@code x(tap, p) += buf[q + (p - p0)*step]} for the windows whose tap is not in padding. */
  static void scatterAdd(
      ConvGeometry g,
      TapTable taps,
      float[] x,
      int planes,
      int tap,
      int p0,
      int count,
      float[] buf,
      int q,
      int step) {
    walk(g, taps, x, planes, tap, p0, count, buf, q, step, true);
  }

  /**
   * Like {@link #gather} with {@code step = 1}, but into the panel layout of {@link
   * KPanel#packBlock}: window {@code p0 + q} goes to {@code dst[off + (q / panel) * panel * kc +
   * row * panel + q % panel]}. One call per tap for the whole block.
   */
  static void gatherPanels(
      ConvGeometry g,
      TapTable taps,
      float[] x,
      int planes,
      int tap,
      int p0,
      int count,
      float[] dst,
      int off,
      int row,
      int kc,
      int panel) {
    int sw = g.params().strideW();
    int sh = g.params().strideH();
    int plane = planes + taps.plane(tap);
    int iw0 = taps.column0(tap);
    int lo = taps.lo(tap);
    int hi = taps.hi(tap);
    int outW = g.outW();
    int oh = p0 / outW;
    int ow = p0 - oh * outW;
    int panelStart = off + row * panel; // dst index of the current panel's slot for this row
    int inPanel = 0;
    for (int q = 0; q < count; oh++, ow = 0) {
      int stop = Math.min(outW, ow + count - q);
      int ih = oh * sh + taps.row0(tap);
      boolean real = ih >= 0 && ih < g.h();
      int src = plane + ih * g.w() + iw0;
      for (int o = ow; o < stop; ) {
        int seg = Math.min(stop - o, panel - inPanel);
        copy(x, src, sw, dst, panelStart + inPanel - o, 1, o, o + seg, lo, hi, real);
        o += seg;
        q += seg;
        inPanel += seg;
        if (inPanel == panel) {
          inPanel = 0;
          panelStart += panel * kc;
        }
      }
    }
  }

  /**
   * {@code dst[d + o*step] = x[src + o*sw]} for window columns {@code o in [from, to)} that read a
   * real input column ({@code [lo, hi)}) of a real row, 0 elsewhere. Three plain loops, no test per
   * element.
   */
  private static void copy(
      float[] x,
      int src,
      int sw,
      float[] dst,
      int d,
      int step,
      int from,
      int to,
      int lo,
      int hi,
      boolean real) {
    int a0 = real ? Math.min(Math.max(lo, from), to) : to;
    int a1 = real ? Math.max(a0, Math.min(hi, to)) : to;
    if (step == 1) {
      for (int o = from; o < a0; o++) {
        dst[d + o] = 0f;
      }
      if (sw == 1) {
        for (int o = a0; o < a1; o++) {
          dst[d + o] = x[src + o];
        }
      } else {
        for (int o = a0; o < a1; o++) {
          dst[d + o] = x[src + o * sw];
        }
      }
      for (int o = a1; o < to; o++) {
        dst[d + o] = 0f;
      }
    } else {
      for (int o = from; o < a0; o++) {
        dst[d + o * step] = 0f;
      }
      for (int o = a0; o < a1; o++) {
        dst[d + o * step] = x[src + o * sw];
      }
      for (int o = a1; o < to; o++) {
        dst[d + o * step] = 0f;
      }
    }
  }

  private static void walk(
      ConvGeometry g,
      TapTable taps,
      float[] x,
      int planes,
      int tap,
      int p0,
      int count,
      float[] buf,
      int q,
      int step,
      boolean fold) {
    int sw = g.params().strideW();
    int sh = g.params().strideH();
    int outW = g.outW();
    int plane = planes + taps.plane(tap);
    int iw0 = taps.column0(tap);
    int lo = taps.lo(tap);
    int hi = taps.hi(tap);
    int oh = p0 / outW;
    int ow = p0 - oh * outW;
    int end = p0 + count;
    int b = q;
    for (int p = p0; p < end; oh++, ow = 0) {
      int run = Math.min(end - p, outW - ow);
      int stop = ow + run;
      int ih = oh * sh + taps.row0(tap);
      boolean real = ih >= 0 && ih < g.h();
      int src = plane + ih * g.w() + iw0;
      int bq = b - ow * step; // buf index of window column o is bq + o*step
      if (!fold) {
        copy(x, src, sw, buf, bq, step, ow, stop, lo, hi, real);
      } else if (real) {
        int a0 = Math.min(Math.max(lo, ow), stop);
        int a1 = Math.max(a0, Math.min(hi, stop));
        if (sw == 1 && step == 1) {
          for (int o = a0; o < a1; o++) {
            x[src + o] += buf[bq + o];
          }
        } else {
          for (int o = a0; o < a1; o++) {
            x[src + o * sw] += buf[bq + o * step];
          }
        }
      }
      b += run * step;
      p += run;
    }
  }
}
