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
    int kh = cp.kernelH();
    int kw = cp.kernelW();
    int s = tap % kw;
    int r = (tap / kw) % kh;
    int ci = tap / (kw * kh);
    int sw = cp.strideW();
    int outW = g.outW();
    int plane = planes + ci * g.h() * g.w();
    int iw0 = s * cp.dilationW() - cp.padding().left(); // input column of window column 0
    int lo = iw0 >= 0 ? 0 : Math.min(outW, (-iw0 + sw - 1) / sw);
    int hi = g.w() - iw0 <= 0 ? 0 : Math.min(outW, (g.w() - iw0 - 1) / sw + 1);
    hi = Math.max(lo, hi);
    int oh = p0 / outW;
    int ow = p0 - oh * outW;
    int end = p0 + count;
    int b = q;
    for (int p = p0; p < end; oh++, ow = 0) {
      int run = Math.min(end - p, outW - ow);
      int stop = ow + run;
      int ih = oh * cp.strideH() - cp.padding().top() + r * cp.dilationH();
      int a0 = Math.min(Math.max(lo, ow), stop);
      int a1 = Math.max(a0, Math.min(hi, stop));
      if (ih < 0 || ih >= g.h()) {
        a0 = stop;
        a1 = stop;
      }
      int src = plane + ih * g.w() + iw0;
      int bq = b - ow * step; // buf index of window column o is bq + o*step
      if (fold) {
        for (int o = a0; o < a1; o++) {
          x[src + o * sw] += buf[bq + o * step];
        }
      } else {
        for (int o = ow; o < a0; o++) {
          buf[bq + o * step] = 0f;
        }
        if (sw == 1 && step == 1) {
          for (int o = a0; o < a1; o++) {
            buf[bq + o] = x[src + o];
          }
        } else {
          for (int o = a0; o < a1; o++) {
            buf[bq + o * step] = x[src + o * sw];
          }
        }
        for (int o = a1; o < stop; o++) {
          buf[bq + o * step] = 0f;
        }
      }
      b += run * step;
      p += run;
    }
  }
}
