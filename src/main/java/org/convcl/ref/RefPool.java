package org.convcl.ref;

import org.convcl.ops.Activation;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;

/**
 * Max and average pooling as plain double-precision loops over each window: input {@code
 * [N][C][H][W]}, output and argmax {@code [N][C][outH][outW]}. The window of output (oh, ow) covers
 * kernelH rows from {@code oh*strideH - padTop} and kernelW columns from {@code ow*strideW -
 * padLeft}; padded cells are never visited.
 */
public final class RefPool {
  private RefPool() {}

  /** The output of max pooling and the in-plane position {@code ih*W + iw} of each maximum. */
  public record MaxPooled(double[] output, int[] argmax) {}

  /** Receives the real (unpadded) input cells of one window, in row-major order. */
  @FunctionalInterface
  interface Window {
    /**
     * @param o flat output index
     * @param cells flat input indices of the window's real cells, {@code count} of them used
     * @param paddedArea the window's area clipped to the padded input
     */
    void accept(int o, int[] cells, int count, int paddedArea);
  }

  static void forEachWindow(PoolGeometry g, Window window) {
    PoolParams p = g.params();
    int[] cells = new int[p.kernelH() * p.kernelW()];
    for (int n = 0; n < g.n(); n++) {
      for (int c = 0; c < g.c(); c++) {
        for (int oh = 0; oh < g.outH(); oh++) {
          int h0 = oh * p.strideH() - p.padding().top();
          int areaH = Math.min(h0 + p.kernelH(), g.h() + p.padding().bottom()) - h0;
          for (int ow = 0; ow < g.outW(); ow++) {
            int w0 = ow * p.strideW() - p.padding().left();
            int areaW = Math.min(w0 + p.kernelW(), g.w() + p.padding().right()) - w0;
            int count = 0;
            for (int ih = Math.max(h0, 0); ih < Math.min(h0 + p.kernelH(), g.h()); ih++) {
              for (int iw = Math.max(w0, 0); iw < Math.min(w0 + p.kernelW(), g.w()); iw++) {
                cells[count++] = ((n * g.c() + c) * g.h() + ih) * g.w() + iw;
              }
            }
            int o = ((n * g.c() + c) * g.outH() + oh) * g.outW() + ow;
            window.accept(o, cells, count, areaH * areaW);
          }
        }
      }
    }
  }

  /**
   * Each output is its window's first maximum in row-major order: a cell wins when it is strictly
   * greater than the best so far, or when it is NaN and the best is not (a NaN propagates instead
   * of being hidden by the comparison).
   */
  public static MaxPooled maxForward(double[] input, PoolGeometry g) {
    double[] out = new double[g.outputShape().size()];
    int[] argmax = new int[out.length];
    int plane = g.h() * g.w();
    forEachWindow(
        g,
        (o, cells, count, area) -> {
          int best = cells[0];
          for (int j = 1; j < count; j++) {
            double v = input[cells[j]];
            if (v > input[best] || (Double.isNaN(v) && !Double.isNaN(input[best]))) {
              best = cells[j];
            }
          }
          out[o] = input[best];
          argmax[o] = best % plane;
        });
    return new MaxPooled(out, argmax);
  }

  /**
   * The upsample: each gradOutput entry is added to the input cell its window selected; where
   * windows overlap the contributions add up. An argmax value outside its own window is refused.
   */
  public static double[] maxBackward(double[] gradOutput, int[] argmax, PoolGeometry g) {
    return maxBackward(gradOutput, argmax, g, null, null);
  }

  /**
   * {@link #maxBackward(double[], int[], PoolGeometry)} with each gradient first multiplied by
   * {@code derivative}'s f' at the pooled value: {@code RefElementwise.derivative(f, y[o], y[o])},
   * the activated input at the argmax cell standing in for its pre-activation value (the same sign
   * for the functions that are derivable from their output). {@code derivative} null: the plain
   * upsample, {@code output} not read.
   */
  public static double[] maxBackward(
      double[] gradOutput, int[] argmax, PoolGeometry g, Activation derivative, double[] output) {
    double[] gradInput = new double[g.inputShape().size()];
    int plane = g.h() * g.w();
    forEachWindow(
        g,
        (o, cells, count, area) -> {
          int cell = cells[0] - cells[0] % plane + argmax[o];
          if (!contains(cells, count, cell) || argmax[o] < 0 || argmax[o] >= plane) {
            throw new IllegalArgumentException(
                "maxPoolBackward: argmax["
                    + o
                    + "] = "
                    + argmax[o]
                    + " is not in window "
                    + o
                    + "; argmax must come from maxPoolForward with the same geometry");
          }
          gradInput[cell] +=
              derivative == null
                  ? gradOutput[o]
                  : gradOutput[o] * RefElementwise.derivative(derivative, output[o], output[o]);
        });
    return gradInput;
  }

  private static boolean contains(int[] cells, int count, int cell) {
    for (int j = 0; j < count; j++) {
      if (cells[j] == cell) {
        return true;
      }
    }
    return false;
  }

  /**
   * The mean of each window: the divisor is the window's area clipped to the padded input when
   * {@code countIncludePad}, else the number of real cells.
   */
  public static double[] avgForward(double[] input, PoolGeometry g) {
    double[] out = new double[g.outputShape().size()];
    boolean includePad = g.params().countIncludePad();
    forEachWindow(
        g,
        (o, cells, count, area) -> {
          double sum = 0;
          for (int j = 0; j < count; j++) {
            sum += input[cells[j]];
          }
          out[o] = sum / (includePad ? area : count);
        });
    return out;
  }

  /**
   * Spreads each gradOutput entry, divided by its window's divisor, over the window's real cells.
   */
  public static double[] avgBackward(double[] gradOutput, PoolGeometry g) {
    double[] gradInput = new double[g.inputShape().size()];
    boolean includePad = g.params().countIncludePad();
    forEachWindow(
        g,
        (o, cells, count, area) -> {
          double share = gradOutput[o] / (includePad ? area : count);
          for (int j = 0; j < count; j++) {
            gradInput[cells[j]] += share;
          }
        });
    return gradInput;
  }
}
