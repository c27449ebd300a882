package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.WindowIndex;

/**
 * Unrolls the windows of one (image, group) into a matrix {@code col[j][p]}, row {@code j = (ci*R +
 * r)*S + s} (the filter tap), column {@code p = oh*outW + ow} (the window), holding {@code
 * input[n][c0+ci][ih][iw]} (ih, iw by {@link WindowIndex}) or 0 where the tap falls into padding.
 * Convolution then becomes a matrix product: {@code output[k][p] = sum_j w[k][j] * col[j][p]},
 * which runs long contiguous inner loops that the JIT vectorises.
 */
final class Im2col {
  private Im2col() {}

  static int rows(ConvGeometry g) {
    return g.channelsPerGroup() * g.params().kernelH() * g.params().kernelW();
  }

  static int cols(ConvGeometry g) {
    return g.outH() * g.outW();
  }

  /** Fills {@code col} (length rows*cols) for image n, group {@code group}. */
  static void unroll(float[] input, int n, int group, float[] col, ConvGeometry g) {
    int stride = g.params().strideW();
    int base = (n * g.c() + group * g.channelsPerGroup()) * g.h() * g.w();
    java.util.Arrays.fill(col, 0f);
    forEachRun(
        g,
        (colStart, inStart, lo, hi) -> {
          for (int ow = lo; ow < hi; ow++) {
            col[colStart + ow] = input[base + inStart + ow * stride];
          }
        });
  }

  /**
   * The adjoint of {@link #unroll}: adds every {@code dcol[j][p]} back onto the input cell that tap
   * j of window p read, into the double planes {@code acc} ({@code [C/groups][H][W]} of this
   * group). Padding taps are dropped.
   */
  static void fold(double[] dcol, double[] acc, ConvGeometry g) {
    int stride = g.params().strideW();
    forEachRun(
        g,
        (colStart, inStart, lo, hi) -> {
          for (int ow = lo; ow < hi; ow++) {
            acc[inStart + ow * stride] += dcol[colStart + ow];
          }
        });
  }

  /**
   * One row of windows for one filter tap: output columns {@code ow in [lo, hi)} of the col entry
   * {@code colStart + ow} read input offset {@code inStart + ow*strideW} within the group's planes
   * {@code [C/groups][H][W]}.
   */
  @FunctionalInterface
  private interface Run {
    void visit(int colStart, int inStart, int lo, int hi);
  }

  /**
   * The one walk shared by {@link #unroll} and {@link #fold}: every (channel, filter tap, output
   * row) whose input row is real, with the range of output columns whose input column is real.
   */
  private static void forEachRun(ConvGeometry g, Run run) {
    var p = g.params();
    int cols = cols(g);
    int plane = g.h() * g.w();
    for (int ci = 0; ci < g.channelsPerGroup(); ci++) {
      for (int r = 0; r < p.kernelH(); r++) {
        for (int s = 0; s < p.kernelW(); s++) {
          int row = ((ci * p.kernelH() + r) * p.kernelW() + s) * cols;
          int[] ows = validColumns(g, s);
          int iw0 = inputColumn(g, 0, s); // output column ow reads iw0 + ow*strideW
          for (int oh = 0; oh < g.outH(); oh++) {
            int ih = inputRow(g, oh, r);
            if (WindowIndex.inside(ih, g.h())) {
              run.visit(row + oh * g.outW(), ci * plane + ih * g.w() + iw0, ows[0], ows[1]);
            }
          }
        }
      }
    }
  }

  /** The input row that output row oh reads through filter row r (may be padding). */
  private static int inputRow(ConvGeometry g, int oh, int r) {
    var p = g.params();
    return WindowIndex.input(oh, p.strideH(), p.padding().top(), r, p.dilationH());
  }

  /**
   * The input column that output column ow reads through filter column s (may be padding); the
   * loops take it at ow = 0 and step by strideW, which is what {@link WindowIndex#input} adds per
   * output.
   */
  private static int inputColumn(ConvGeometry g, int ow, int s) {
    var p = g.params();
    return WindowIndex.input(ow, p.strideW(), p.padding().left(), s, p.dilationW());
  }

  /** {@code {lo, hi}}: the output columns whose filter column s reads a real input column. */
  private static int[] validColumns(ConvGeometry g, int s) {
    var p = g.params();
    return WindowIndex.validOutputs(
        g.outW(), p.strideW(), p.padding().left(), s, p.dilationW(), g.w());
  }
}
