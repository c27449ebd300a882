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
