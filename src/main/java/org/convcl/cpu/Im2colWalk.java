package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;

/**
 * The im2col relation for one filter tap over a range of windows of one image, walked row of
 * windows by row: window {@code p = oh*outW + ow} reads, through tap {@code j = (ci*R + r)*S + s},
 * the input cell {@code (ci, oh*strideH - padTop + r*dilationH, ow*strideW - padLeft +
 * s*dilationW)} of the group's channels, or padding (zero). Both directions share the walk: {@link
 * #gather} writes the values into a buffer (zeros for padding), {@link #scatterAdd} adds buffer
 * values back onto the cells they came from (the adjoint, "col2im"), so packing im2col tiles for
 * the forward and filter-gradient products and folding the input gradient use one definition.
 */
final class Im2colWalk {
  private Im2colWalk() {}

  /**
   * {@code buf[q + (p - p0)*step] = x(tap, p)} for windows {@code p in [p0, p0 + count)} of the
   * image whose group channels start at {@code x[planes]}.
   */
  static void gather(
      ConvGeometry g,
      float[] x,
      int planes,
      int tap,
      int p0,
      int count,
      float[] buf,
      int q,
      int step) {
    walk(g, x, planes, tap, p0, count, buf, q, step, false);
  }

  /** {@code x(tap, p) += buf[q + (p - p0)*step]} for the windows whose tap is not in padding. */
  static void scatterAdd(
      ConvGeometry g,
      float[] x,
      int planes,
      int tap,
      int p0,
      int count,
      float[] buf,
      int q,
      int step) {
    walk(g, x, planes, tap, p0, count, buf, q, step, true);
  }

  /**
   * Like {@link #gather} with {@code step = 1}, but into the panel layout of {@link
   * KPanel#packBlock}: window {@code p0 + q} goes to {@code dst[off + (q / panel) * panel * kc +
   * row * panel + q % panel]}. One call per tap for the whole block: the per-call set-up (decoding
   * the tap, the valid column range) is paid once per tap, not once per panel.
   */
  static void gatherPanels(
      ConvGeometry g,
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
    ConvParams cp = g.params();
    int s = tap % cp.kernelW();
    int r = (tap / cp.kernelW()) % cp.kernelH();
    int plane = planes + tap / (cp.kernelW() * cp.kernelH()) * g.h() * g.w();
    int iw0 = inputColumnZero(g, s);
    int lo = firstValidColumn(g, iw0);
    int hi = endValidColumn(g, iw0, lo);
    int outW = g.outW();
    int oh = p0 / outW;
    int ow = p0 - oh * outW;
    int panelStart = off + row * panel; // dst index of panel 0's slot for this row
    int inPanel = 0;
    for (int q = 0; q < count; oh++, ow = 0) {
      int stop = Math.min(outW, ow + count - q);
      int ih = inputRow(g, oh, r);
      boolean real = ih >= 0 && ih < g.h();
      int src = plane + ih * g.w() + iw0;
      for (int o = ow; o < stop; ) {
        int seg = Math.min(stop - o, panel - inPanel);
        copy(x, src, cp.strideW(), dst, panelStart + inPanel - o, o, o + seg, lo, hi, real);
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
   * {@code dst[d + o] = x[src + o*sw]} for window columns {@code o in [from, to)} that read a real
   * input column ({@code [lo, hi)}) of a real row, 0 elsewhere.
   */
  private static void copy(
      float[] x,
      int src,
      int sw,
      float[] dst,
      int d,
      int from,
      int to,
      int lo,
      int hi,
      boolean real) {
    int a0 = real ? Math.min(Math.max(lo, from), to) : to;
    int a1 = real ? Math.max(a0, Math.min(hi, to)) : to;
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
  }

  /** The input column that window column 0 reads through filter column s (may be padding). */
  private static int inputColumnZero(ConvGeometry g, int s) {
    return s * g.params().dilationW() - g.params().padding().left();
  }

  /** The input row window row oh reads through filter row r (may be padding). */
  private static int inputRow(ConvGeometry g, int oh, int r) {
    ConvParams cp = g.params();
    return oh * cp.strideH() - cp.padding().top() + r * cp.dilationH();
  }

  /** The first window column whose input column {@code iw0 + o*strideW} is at least 0. */
  private static int firstValidColumn(ConvGeometry g, int iw0) {
    int sw = g.params().strideW();
    return iw0 >= 0 ? 0 : Math.min(g.outW(), (-iw0 + sw - 1) / sw);
  }

  /** One past the last window column whose input column is below W (at least {@code lo}). */
  private static int endValidColumn(ConvGeometry g, int iw0, int lo) {
    int sw = g.params().strideW();
    int hi = g.w() - iw0 <= 0 ? 0 : Math.min(g.outW(), (g.w() - iw0 - 1) / sw + 1);
    return Math.max(lo, hi);
  }

  private static void walk(
      ConvGeometry g,
      float[] x,
      int planes,
      int tap,
      int p0,
      int count,
      float[] buf,
      int q,
      int step,
      boolean fold) {
    ConvParams cp = g.params();
    int s = tap % cp.kernelW();
    int r = (tap / cp.kernelW()) % cp.kernelH();
    int plane = planes + tap / (cp.kernelW() * cp.kernelH()) * g.h() * g.w();
    int sw = cp.strideW();
    int outW = g.outW();
    int iw0 = inputColumnZero(g, s);
    int lo = firstValidColumn(g, iw0);
    int hi = endValidColumn(g, iw0, lo);
    int oh = p0 / outW;
    int ow = p0 - oh * outW;
    int end = p0 + count;
    int b = q;
    for (int p = p0; p < end; oh++, ow = 0) {
      int run = Math.min(end - p, outW - ow);
      int stop = ow + run;
      int ih = inputRow(g, oh, r);
      boolean real = ih >= 0 && ih < g.h();
      int src = plane + ih * g.w() + iw0;
      int bq = b - ow * step; // buf index of window column o is bq + o*step
      if (fold) {
        int a0 = real ? Math.min(Math.max(lo, ow), stop) : stop;
        int a1 = real ? Math.max(a0, Math.min(hi, stop)) : stop;
        for (int o = a0; o < a1; o++) {
          x[src + o * sw] += buf[bq + o * step];
        }
      } else if (step == 1) {
        copy(x, src, sw, buf, bq, ow, stop, lo, hi, real);
      } else {
        int a0 = real ? Math.min(Math.max(lo, ow), stop) : stop;
        int a1 = real ? Math.max(a0, Math.min(hi, stop)) : stop;
        for (int o = ow; o < stop; o++) {
          buf[bq + o * step] = o >= a0 && o < a1 ? x[src + o * sw] : 0f;
        }
      }
      b += run * step;
      p += run;
    }
  }
}
