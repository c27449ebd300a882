package org.convcl.cpu;

import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.WindowIndex;
import org.convcl.tensor.WindowMax;

/**
 * Max and average pooling on the heap: input {@code [N][C][H][W]}, output and argmax {@code
 * [N][C][outH][outW]}. The window of output (oh, ow) covers kernelH input rows from {@link
 * WindowIndex#start} (possibly in the padding) and kernelW columns likewise; one task per (n, c)
 * plane.
 */
final class CpuPool {
  private CpuPool() {}

  /**
   * Max pool: the first maximum in row-major window order wins ({@code >} not {@code >=}); padded
   * cells are skipped, so argmax always names a real input cell {@code ih*W + iw}. A NaN in the
   * window propagates (it is taken as the maximum), so bad data is not hidden.
   */
  static void maxForward(Parallel par, float[] in, float[] out, int[] argmax, PoolGeometry g) {
    int planeIn = g.h() * g.w();
    int planeOut = g.outH() * g.outW();
    PoolParams p = g.params();
    // Not through forEachWindow: its visitor call per window cost more than the window itself
    // (2x2: four compares). The window bounds are the same clipping, see forEachWindowOfPlane.
    par.forEach(
        g.n() * g.c(),
        windowWork(g),
        plane -> {
          int base = plane * planeIn;
          for (int oh = 0; oh < g.outH(); oh++) {
            int h0 = WindowIndex.start(oh, p.strideH(), p.padding().top());
            int ih0 = Math.max(h0, 0);
            int ih1 = Math.min(h0 + p.kernelH(), g.h());
            int o = plane * planeOut + oh * g.outW();
            for (int ow = 0; ow < g.outW(); ow++, o++) {
              int w0 = WindowIndex.start(ow, p.strideW(), p.padding().left());
              int iw0 = Math.max(w0, 0);
              int iw1 = Math.min(w0 + p.kernelW(), g.w());
              // Every window holds a real cell (PoolParams and PoolGeometry refuse windows of
              // padding
              // only): start from the first.
              int best = ih0 * g.w() + iw0;
              float bestValue = in[base + best];
              if (ih1 - ih0 == 2 && iw1 - iw0 == 2) { // the common 2x2 window, unrolled
                int c = best + 1;
                float v = in[base + c];
                if (WindowMax.beats(v, bestValue)) {
                  best = c;
                  bestValue = v;
                }
                c = (ih0 + 1) * g.w() + iw0;
                v = in[base + c];
                if (WindowMax.beats(v, bestValue)) {
                  best = c;
                  bestValue = v;
                }
                v = in[base + c + 1];
                if (WindowMax.beats(v, bestValue)) {
                  best = c + 1;
                  bestValue = v;
                }
              } else {
                for (int ih = ih0; ih < ih1; ih++) {
                  for (int iw = ih == ih0 ? iw0 + 1 : iw0; iw < iw1; iw++) {
                    float v = in[base + ih * g.w() + iw];
                    if (WindowMax.beats(v, bestValue)) {
                      best = ih * g.w() + iw;
                      bestValue = v;
                    }
                  }
                }
              }
              out[o] = bestValue;
              argmax[o] = best;
            }
          }
        });
  }

  /**
   * The upsample: {@code gradInput[argmax[o]] += gradOutput[o]} within each plane, in output order,
   * so overlapping windows (kernel > stride) add up deterministically.
   */
  static void maxBackward(Parallel par, float[] dy, int[] argmax, float[] dx, PoolGeometry g) {
    requireInWindows(argmax, g);
    int planeIn = g.h() * g.w();
    int planeOut = g.outH() * g.outW();
    par.forEach(
        g.n() * g.c(),
        planeOut + planeIn,
        plane -> {
          java.util.Arrays.fill(dx, plane * planeIn, (plane + 1) * planeIn, 0f);
          for (int o = 0; o < planeOut; o++) {
            int src = plane * planeOut + o;
            dx[plane * planeIn + argmax[src]] += dy[src];
          }
        });
  }

  /**
   * Checks every argmax value names a cell of its own window, as maxForward writes it. argmax is a
   * caller-supplied tensor: a value outside the plane would index out of the array (or, if
   * negative, into the previous plane), and one inside the plane but outside the window would make
   * this backend disagree with the OpenCL gather. One sequential pass, before any write.
   */
  static void requireInWindows(int[] argmax, PoolGeometry g) {
    int planeOut = g.outH() * g.outW();
    for (int plane = 0, i = 0; plane < argmax.length / planeOut; plane++) {
      for (int oh = 0; oh < g.outH(); oh++) {
        for (int ow = 0; ow < g.outW(); ow++, i++) {
          if (!inWindow(argmax[i], g, oh, ow)) {
            throw new IllegalArgumentException(
                "maxPoolBackward: argmax["
                    + i
                    + "] = "
                    + argmax[i]
                    + " is not in window "
                    + i
                    + "; argmax must come from maxPoolForward with the same geometry");
          }
        }
      }
    }
  }

  private static boolean inWindow(int a, PoolGeometry g, int oh, int ow) {
    if (!WindowIndex.inside(a, g.h() * g.w())) {
      return false;
    }
    PoolParams p = g.params();
    int dh = a / g.w() - WindowIndex.start(oh, p.strideH(), p.padding().top());
    int dw = a % g.w() - WindowIndex.start(ow, p.strideW(), p.padding().left());
    return dh >= 0 && dh < p.kernelH() && dw >= 0 && dw < p.kernelW();
  }

  /**
   * The divisor of an average-pool window: its area clipped to the padded input, or only its real
   * cells.
   */
  static int divisor(PoolGeometry g, int oh, int ow) {
    PoolParams p = g.params();
    int h0 = WindowIndex.start(oh, p.strideH(), p.padding().top());
    int w0 = WindowIndex.start(ow, p.strideW(), p.padding().left());
    int h1 = Math.min(h0 + p.kernelH(), g.h() + p.padding().bottom());
    int w1 = Math.min(w0 + p.kernelW(), g.w() + p.padding().right());
    if (p.countIncludePad()) {
      return (h1 - h0) * (w1 - w0);
    }
    return (Math.min(h1, g.h()) - Math.max(h0, 0)) * (Math.min(w1, g.w()) - Math.max(w0, 0));
  }

  static void avgForward(Parallel par, float[] in, float[] out, PoolGeometry g) {
    int planeIn = g.h() * g.w();
    int planeOut = g.outH() * g.outW();
    forEachWindow(
        par,
        g,
        (plane, oh, ow, ih0, ih1, iw0, iw1) -> {
          double sum = 0;
          for (int ih = ih0; ih < ih1; ih++) {
            for (int iw = iw0; iw < iw1; iw++) {
              sum += in[plane * planeIn + ih * g.w() + iw];
            }
          }
          out[plane * planeOut + oh * g.outW() + ow] = (float) (sum / divisor(g, oh, ow));
        });
  }

  /**
   * Each gradOutput entry, divided by its window's divisor, is added to every real cell of the
   * window.
   */
  static void avgBackward(Parallel par, float[] dy, float[] dx, PoolGeometry g) {
    int planeIn = g.h() * g.w();
    int planeOut = g.outH() * g.outW();
    par.forEach(
        g.n() * g.c(),
        windowWork(g),
        plane -> {
          double[] acc = new double[planeIn];
          forEachWindowOfPlane(
              g,
              plane,
              (samePlane, oh, ow, ih0, ih1, iw0, iw1) -> {
                double share =
                    dy[plane * planeOut + oh * g.outW() + ow] / (double) divisor(g, oh, ow);
                for (int ih = ih0; ih < ih1; ih++) {
                  for (int iw = iw0; iw < iw1; iw++) {
                    acc[ih * g.w() + iw] += share;
                  }
                }
              });
          for (int i = 0; i < planeIn; i++) {
            dx[plane * planeIn + i] = (float) acc[i];
          }
        });
  }

  /**
   * What one pass does with window (oh, ow) of a plane, given the window's real cells: rows {@code
   * [ih0, ih1)}, columns {@code [iw0, iw1)} of its plane (ints, not a record: no object per
   * window).
   */
  @FunctionalInterface
  interface WindowVisitor {
    void visit(int plane, int oh, int ow, int ih0, int ih1, int iw0, int iw1);
  }

  /** Visits every window of every (n, c) plane, one task per plane (see forEachWindowOfPlane). */
  private static void forEachWindow(Parallel par, PoolGeometry g, WindowVisitor visitor) {
    par.forEach(g.n() * g.c(), windowWork(g), plane -> forEachWindowOfPlane(g, plane, visitor));
  }

  /**
   * Visits every window of one plane in output order (oh, then ow, ascending), each clipped to the
   * real input: padded cells are never visited. The one walker behind all three window passes, so
   * they cannot disagree on which cells a window covers.
   */
  private static void forEachWindowOfPlane(PoolGeometry g, int plane, WindowVisitor visitor) {
    PoolParams p = g.params();
    for (int oh = 0; oh < g.outH(); oh++) {
      for (int ow = 0; ow < g.outW(); ow++) {
        int h0 = WindowIndex.start(oh, p.strideH(), p.padding().top());
        int w0 = WindowIndex.start(ow, p.strideW(), p.padding().left());
        visitor.visit(
            plane,
            oh,
            ow,
            Math.max(h0, 0),
            Math.min(h0 + p.kernelH(), g.h()),
            Math.max(w0, 0),
            Math.min(w0 + p.kernelW(), g.w()));
      }
    }
  }

  /** The work of one plane's window pass, for Parallel's split: one unit per window cell. */
  private static long windowWork(PoolGeometry g) {
    PoolParams p = g.params();
    return (long) g.outH() * g.outW() * p.kernelH() * p.kernelW();
  }
}
