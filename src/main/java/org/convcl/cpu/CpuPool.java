package org.convcl.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import org.convcl.ops.Activation;
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

  private static final int ONE_BITS = Float.floatToRawIntBits(1f);

  /**
   * Max pool: the first maximum in row-major window order wins ({@code >} not {@code >=}); padded
   * cells are skipped, so argmax always names a real input cell {@code ih*W + iw}. A NaN in the
   * window propagates (it is taken as the maximum), so bad data is not hidden. The general scan
   * compares {@link MaxKey}s with masks instead of branching on {@link WindowMax#beats}, the 2x2
   * windows use {@link Math#max} and equality (see firstMax2x2); both give beats' winner.
   */
  static void maxForward(Parallel par, float[] in, float[] out, int[] argmax, PoolGeometry g) {
    par.forEach(
        g.n() * g.c(),
        windowWork(g),
        plane -> maxForwardPlane(in, plane * planeIn(g), out, argmax, plane * planeOut(g), g));
  }

  /** Floats of one input plane of {@code g}. */
  static int planeIn(PoolGeometry g) {
    return g.h() * g.w();
  }

  /** Floats of one output plane of {@code g}. */
  static int planeOut(PoolGeometry g) {
    return g.outH() * g.outW();
  }

  /**
   * One plane of {@link #maxForward}: the input plane at {@code in[base]}, its outputs and argmax
   * from {@code out[o]}, {@code argmax[o]} (argmax relative to the plane's first cell). Not through
   * forEachWindow: its visitor call per window cost more than the window itself; the window bounds
   * are the same clipping (forEachWindowOfPlane). Also the pooling of the fused convolution + max
   * pool ({@link DirectConvMaxPool}), on a plane in its scratch.
   */
  static void maxForwardPlane(
      float[] in, int base, float[] out, int[] argmax, int o, PoolGeometry g) {
    int w = g.w();
    PoolParams p = g.params();
    int sw = p.strideW();
    // Columns [full0, full1) of windows that lie wholly inside the row (no clipping); with a 2x2
    // kernel they run in the tight loop below, the rest through the general scan. (A Vector API
    // form of the 2x2 window, with lane shuffles to split even and odd columns, measured several
    // times slower than this loop on JDK 17: LeNet's rows of 12 and 4 windows fit no 16-lane
    // register, and the 8- and 4-lane shuffles were not compiled to permutes.)
    int full0 = Math.min(g.outW(), (p.padding().left() + sw - 1) / sw);
    int full1 =
        Math.max(full0, Math.min(g.outW(), (w + p.padding().left() - p.kernelW()) / sw + 1));
    boolean twoByTwo = p.kernelH() == 2 && p.kernelW() == 2;
    for (int oh = 0; oh < g.outH(); oh++, o += g.outW()) {
      int h0 = WindowIndex.start(oh, p.strideH(), p.padding().top());
      int ih0 = Math.max(h0, 0);
      int ih1 = Math.min(h0 + p.kernelH(), g.h());
      if (twoByTwo && ih1 - ih0 == 2) {
        maxRowEdges(in, out, argmax, g, base, o, ih0, ih1, 0, full0);
        int c = ih0 * w + WindowIndex.start(full0, sw, p.padding().left());
        for (int ow = full0; ow < full1; ow++, c += sw) {
          int best = firstMax2x2(in, base, c, w);
          out[o + ow] = in[base + best];
          argmax[o + ow] = best;
        }
        maxRowEdges(in, out, argmax, g, base, o, ih0, ih1, full1, g.outW());
      } else {
        maxRowEdges(in, out, argmax, g, base, o, ih0, ih1, 0, g.outW());
      }
    }
  }

  /**
   * Windows {@code [ow0, ow1)} of the output row starting at {@code o}, whose input rows are {@code
   * [ih0, ih1)}, through the general scan. Every window holds a real cell (PoolParams and
   * PoolGeometry refuse windows of padding only), so the first one is a candidate.
   */
  private static void maxRowEdges(
      float[] in,
      float[] out,
      int[] argmax,
      PoolGeometry g,
      int base,
      int o,
      int ih0,
      int ih1,
      int ow0,
      int ow1) {
    PoolParams p = g.params();
    for (int ow = ow0; ow < ow1; ow++) {
      int w0 = WindowIndex.start(ow, p.strideW(), p.padding().left());
      int iw0 = Math.max(w0, 0);
      int iw1 = Math.min(w0 + p.kernelW(), g.w());
      int best = firstMax(in, base, g.w(), ih0, ih1, iw0, iw1);
      out[o + ow] = in[base + best];
      argmax[o + ow] = best;
    }
  }

  /**
   * The first maximum of the 2x2 window whose top-left cell is {@code c}: the window's maximum
   * {@code m} by {@link Math#max} (branch-free, and NaN when any cell is), then the first cell in
   * row-major order that equals it, chosen by conditional moves. {@code ==} ties -0 with +0 as
   * {@code >} does, so this is the row-major scan's winner; a window with a NaN goes to {@link
   * #firstNaN2x2}. (Measured on one core against the integer-key tournament of the general scan, on
   * LeNet's 64x20x24x24 pooling: 0.75 against 1.59 ms, with the same outputs and argmax on ReLU
   * outputs and on windows drawn from -inf, -1, -0, +0, 1, +inf, NaNs and subnormals.)
   */
  private static int firstMax2x2(float[] in, int base, int c, int w) {
    float a = in[base + c];
    float b = in[base + c + 1];
    float d = in[base + c + w];
    float e = in[base + c + w + 1];
    float m = Math.max(Math.max(a, b), Math.max(d, e));
    int best = c + w + 1;
    best = d == m ? c + w : best;
    best = b == m ? c + 1 : best;
    best = a == m ? c : best;
    return m == m ? best : firstNaN2x2(in, base, c, w);
  }

  /** The first NaN of the 2x2 window at {@code c} (NaN is every window's maximum). */
  private static int firstNaN2x2(float[] in, int base, int c, int w) {
    if (Float.isNaN(in[base + c])) {
      return c;
    }
    if (Float.isNaN(in[base + c + 1])) {
      return c + 1;
    }
    return Float.isNaN(in[base + c + w]) ? c + w : c + w + 1;
  }

  /** The first maximum of the window rows {@code [ih0, ih1)}, columns {@code [iw0, iw1)}. */
  private static int firstMax(float[] in, int base, int w, int ih0, int ih1, int iw0, int iw1) {
    int best = ih0 * w + iw0;
    int bestKey = MaxKey.of(in[base + best]);
    for (int ih = ih0; ih < ih1; ih++) {
      for (int c = ih * w + iw0, end = ih * w + iw1; c < end; c++) {
        int k = MaxKey.of(in[base + c]);
        best ^= (best ^ c) & MaxKey.greater(k, bestKey);
        bestKey = Math.max(bestKey, k);
      }
    }
    return best;
  }

  /**
   * The upsample: {@code gradInput[argmax[o]] += gradOutput[o]} within each plane, in output order,
   * so overlapping windows (kernel > stride) add up deterministically. (Writing each window's cells
   * directly, the gradient or 0, where windows cannot overlap, measured slower than clearing the
   * plane, which is in L1, and scattering one value per window.)
   *
   * <p>argmax is a caller-supplied tensor, checked as it is read: every value must name a real cell
   * of its own window, as maxForward writes it (else the CPU backend would index outside the plane,
   * or disagree with the OpenCL gather). The check costs a few integer operations per window inside
   * the same pass; on a failure gradInput is filled with NaN and {@link #requireInWindows} names
   * the first bad entry.
   *
   * <p>With a {@code derivative} (ReLU or leaky ReLU, see {@link
   * org.convcl.ops.Activation#derivableFromOutput()}), each gradient is first multiplied by the
   * derivative read from the sign of the pooled value {@code y[o]}: {@code dy[o] * (y[o] > 0 ? 1 :
   * slope)}, slope 0 for ReLU, so ReLU's backward pass needs no second sweep of gradInput. {@code
   * y} is not read without one.
   */
  static void maxBackward(
      Parallel par,
      float[] dy,
      int[] argmax,
      float[] dx,
      PoolGeometry g,
      Activation derivative,
      float[] y) {
    AtomicBoolean bad = new AtomicBoolean();
    float slope = negativeSlope(derivative);
    par.forEach(
        g.n() * g.c(),
        g.h() * g.w() + g.outH() * g.outW(),
        plane -> {
          float[] yy = derivative == null ? null : y;
          int o = plane * planeOut(g);
          if (!scatterPlane(dy, argmax, yy, o, dx, plane * planeIn(g), g, slope)) {
            bad.set(true);
          }
        });
    if (bad.get()) {
      failOnArgmax("maxPoolBackward", argmax, g, dx);
    }
  }

  /**
   * After a failed window check in {@code op}: fills {@code dx} with NaN and throws, naming the
   * first bad argmax entry ({@link #requireInWindows}).
   */
  static void failOnArgmax(String op, int[] argmax, PoolGeometry g, float[] dx) {
    java.util.Arrays.fill(dx, Float.NaN);
    requireInWindows(op, argmax, g);
    throw new IllegalStateException(op + ": a window check failed but none is bad");
  }

  /**
   * One plane of {@link #maxBackward}: clears the plane at {@code dx[base]}, then adds each
   * gradient {@code dy[o ..]} at its argmax {@code argmax[o ..]} in output order, after checking
   * that argmax is a real cell of the window ({@code y[o ..]}, if given, supplies f'). Returns
   * false at the first bad one, before writing it. One flat loop over the outputs with the window
   * origin stepped along; the row of a cell is found by a multiplication with 1/W in double, exact
   * for every non-negative int (the quotient's error, below {@code a * 2^-52}, never reaches the
   * distance {@code 0.5 / W} of {@code (a + 0.5) / W} from an integer).
   */
  static boolean scatterPlane(
      float[] dy,
      int[] argmax,
      float[] y,
      int o0,
      float[] dx,
      int base,
      PoolGeometry g,
      float slope) {
    int w = g.w();
    int planeIn = planeIn(g);
    java.util.Arrays.fill(dx, base, base + planeIn, 0f);
    PoolParams p = g.params();
    double inverseW = 1.0 / w;
    int slopeBits = Float.floatToRawIntBits(slope);
    int top = -p.padding().top();
    int left = -p.padding().left();
    int h0 = top;
    int w0 = left;
    int ow = 0;
    for (int o = o0, end = o + planeOut(g); o < end; o++) {
      int a = argmax[o];
      if (!inWindow(a, rowOf(a, inverseW), h0, w0, w, planeIn, p)) {
        return false;
      }
      dx[base + a] += dy[o] * derivative(y, o, slopeBits);
      w0 += p.strideW();
      if (++ow == g.outW()) {
        ow = 0;
        w0 = left;
        h0 += p.strideH();
      }
    }
    return true;
  }

  /**
   * The row of cell {@code a >= 0} of a plane of width {@code 1 / inverseW}: a multiplication in
   * double, exact for every non-negative int (see {@link #scatterPlane}).
   */
  static int rowOf(int a, double inverseW) {
    return (int) ((a + 0.5) * inverseW);
  }

  /**
   * Whether {@code a}, in row {@code ih} ({@link #rowOf}), is a cell of its plane ({@code planeIn}
   * cells of width {@code w}) inside the window whose first row and column (in the unpadded plane,
   * possibly negative) are {@code h0, w0}: integer operations, no branch.
   */
  static boolean inWindow(int a, int ih, int h0, int w0, int w, int planeIn, PoolParams p) {
    return Integer.compareUnsigned(a, planeIn) < 0
        & Integer.compareUnsigned(ih - h0, p.kernelH()) < 0
        & Integer.compareUnsigned(a - ih * w - w0, p.kernelW()) < 0;
  }

  /**
   * f' at the pooled output {@code y[o]} without a branch (the sign of y is random, a branch
   * mispredicted half the time): 1 where {@code y[o] > 0}, else the float whose bits are {@code
   * slopeBits}; with no derivative ({@code y} null), 1 ({@code dy * 1} is dy exactly).
   */
  static float derivative(float[] y, int o, int slopeBits) {
    int positive = y == null ? -1 : CpuElementwise.positiveMask(y[o]);
    return Float.intBitsToFloat(positive & ONE_BITS | ~positive & slopeBits);
  }

  /** The derivative of {@code f} at a non-positive output: 0 for ReLU, the slope for leaky ReLU. */
  static float negativeSlope(Activation f) {
    return f != null && f.kind() == Activation.Kind.LEAKY_RELU ? f.alpha() : 0f;
  }

  /**
   * Throws, naming the first argmax value that is not a cell of its own window (see {@link
   * #maxBackward}); the slow exact check, run only once the fast one has failed.
   */
  static void requireInWindows(String op, int[] argmax, PoolGeometry g) {
    int planeOut = g.outH() * g.outW();
    for (int plane = 0, i = 0; plane < argmax.length / planeOut; plane++) {
      for (int oh = 0; oh < g.outH(); oh++) {
        for (int ow = 0; ow < g.outW(); ow++, i++) {
          if (!inWindow(argmax[i], g, oh, ow)) {
            throw new IllegalArgumentException(
                op
                    + ": argmax["
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
