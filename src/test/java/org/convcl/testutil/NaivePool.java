package org.convcl.testutil;

import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;

/**
 * Max and average pooling as plain double-precision loops over each window, written from the rules
 * in Ops' Javadoc (ties to the first maximum in row-major window order, padded cells never win, the
 * two average divisors) and independent of CpuOps.
 */
public final class NaivePool {
  private NaivePool() {}

  /** Receives the input cells of one window in row-major order. */
  @FunctionalInterface
  interface Window {
    /**
     * @param o flat output index in [N][C][outH][outW]
     * @param cells flat input indices in [N][C][H][W] of the real (unpadded) cells in the window
     * @param count how many entries of {@code cells} are used
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

  /** The flat input index (in [N][C][H][W]) of each window's first maximum. */
  public static int[] argmaxFlat(double[] input, PoolGeometry g) {
    int[] arg = new int[g.outputShape().size()];
    forEachWindow(
        g,
        (o, cells, count, area) -> {
          int best = cells[0];
          for (int j = 1; j < count; j++) {
            if (input[cells[j]] > input[best]) {
              best = cells[j];
            }
          }
          arg[o] = best;
        });
    return arg;
  }

  /** The argmax as Ops reports it: the position {@code ih*W + iw} within the input plane. */
  public static int[] argmaxInPlane(int[] argmaxFlat, PoolGeometry g) {
    int plane = g.h() * g.w();
    int[] a = new int[argmaxFlat.length];
    for (int o = 0; o < a.length; o++) {
      a[o] = argmaxFlat[o] % plane;
    }
    return a;
  }

  public static double[] maxForward(double[] input, PoolGeometry g) {
    int[] arg = argmaxFlat(input, g);
    double[] out = new double[arg.length];
    for (int o = 0; o < out.length; o++) {
      out[o] = input[arg[o]];
    }
    return out;
  }

  /** Routes each gradOutput entry to its window's argmax; overlapping windows add up. */
  public static double[] maxBackward(double[] gradOutput, int[] argmaxFlat, PoolGeometry g) {
    double[] gradInput = new double[g.inputShape().size()];
    for (int o = 0; o < gradOutput.length; o++) {
      gradInput[argmaxFlat[o]] += gradOutput[o];
    }
    return gradInput;
  }

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
