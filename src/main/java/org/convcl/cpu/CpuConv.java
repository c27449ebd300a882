package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * Convolution on the heap, the reference every OpenCL convolution kernel is tested against.
 * Layouts: input {@code [N][C][H][W]}, weights {@code [K][C/groups][R][S]}, output {@code
 * [N][K][outH][outW]}. Filter k belongs to group {@code k / (K/groups)} and reads input channels
 * {@code group*(C/groups) ..}. The window of output {@code (oh, ow)} reads input row {@code ih =
 * oh*strideH - padTop + r*dilationH} and column {@code iw = ow*strideW - padLeft + s*dilationW};
 * see docs/math.md for the derivations of the two gradients.
 */
final class CpuConv {
  private CpuConv() {}

  /** Forward: one task per output plane (n, k), accumulating the plane in double. */
  static void forward(
      Parallel par, float[] input, float[] weights, float[] bias, float[] output, ConvGeometry g) {
    int planeOut = g.outH() * g.outW();
    int cg = g.channelsPerGroup();
    int taps = g.params().kernelH() * g.params().kernelW();
    par.forEach(
        g.n() * g.k(),
        (long) planeOut * cg * taps,
        task -> {
          int n = task / g.k();
          int k = task % g.k();
          double[] acc = new double[planeOut];
          java.util.Arrays.fill(acc, bias == null ? 0.0 : bias[k]);
          int c0 = (k / g.filtersPerGroup()) * cg;
          for (int ci = 0; ci < cg; ci++) {
            int inPlane = ((n * g.c()) + c0 + ci) * g.h() * g.w();
            int wBase = (k * cg + ci) * taps;
            accumulatePlane(input, inPlane, weights, wBase, acc, g);
          }
          int outPlane = (n * g.k() + k) * planeOut;
          for (int i = 0; i < planeOut; i++) {
            output[outPlane + i] = (float) acc[i];
          }
        });
  }

  /**
   * {@code acc[oh][ow] += sum_{r,s} w[r][s] * in[ih][iw]} for one input channel; padding reads as
   * zero.
   */
  private static void accumulatePlane(
      float[] in, int inPlane, float[] w, int wBase, double[] acc, ConvGeometry g) {
    var p = g.params();
    for (int r = 0; r < p.kernelH(); r++) {
      for (int s = 0; s < p.kernelW(); s++) {
        float wv = w[wBase + r * p.kernelW() + s];
        int rowOffset = r * p.dilationH() - p.padding().top();
        int colOffset = s * p.dilationW() - p.padding().left();
        int[] ows = validRange(g.outW(), colOffset, p.strideW(), g.w());
        for (int oh = 0; oh < g.outH(); oh++) {
          int ih = oh * p.strideH() + rowOffset;
          if (ih < 0 || ih >= g.h()) {
            continue;
          }
          int inRow = inPlane + ih * g.w() + colOffset;
          int accRow = oh * g.outW();
          for (int ow = ows[0]; ow < ows[1]; ow++) {
            acc[accRow + ow] += wv * in[inRow + ow * p.strideW()];
          }
        }
      }
    }
  }

  /**
   * The range {@code [lo, hi)} of output positions o whose input position {@code o*stride + offset}
   * lies in {@code [0, size)}: the columns where a filter tap does not fall into padding.
   */
  static int[] validRange(int outSize, int offset, int stride, int size) {
    int lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    int hi = size - offset <= 0 ? 0 : Math.min(outSize, (size - offset - 1) / stride + 1);
    return new int[] {lo, Math.max(lo, hi)};
  }

  /**
   * Input gradient: {@code gradInput[n][c][ih][iw] = sum_{k,r,s} gradOutput[n][k][oh][ow] *
   * w[k][c'][r][s]} over the (oh, ow) whose window put tap (r, s) on (ih, iw). That is the full
   * convolution of the zero-spread gradOutput with the rotated filter (docs/math.md); here each (n,
   * c) task walks the taps and scatters into its own plane, which sums the same terms without
   * visiting the spread zeros. Cells no window reads keep exactly 0.
   */
  static void backwardInput(
      Parallel par, float[] gradOutput, float[] weights, float[] gradInput, ConvGeometry g) {
    int planeIn = g.h() * g.w();
    int planeOut = g.outH() * g.outW();
    int cg = g.channelsPerGroup();
    int kg = g.filtersPerGroup();
    var p = g.params();
    int taps = p.kernelH() * p.kernelW();
    par.forEach(
        g.n() * g.c(),
        (long) planeOut * kg * taps,
        task -> {
          int n = task / g.c();
          int c = task % g.c();
          int group = c / cg;
          int ci = c % cg;
          double[] acc = new double[planeIn];
          for (int kk = 0; kk < kg; kk++) {
            int k = group * kg + kk;
            int dyPlane = (n * g.k() + k) * planeOut;
            int wBase = (k * cg + ci) * taps;
            scatterPlane(gradOutput, dyPlane, weights, wBase, acc, g);
          }
          int base = task * planeIn;
          for (int i = 0; i < planeIn; i++) {
            gradInput[base + i] = (float) acc[i];
          }
        });
  }

  private static void scatterPlane(
      float[] dy, int dyPlane, float[] w, int wBase, double[] acc, ConvGeometry g) {
    var p = g.params();
    for (int r = 0; r < p.kernelH(); r++) {
      for (int s = 0; s < p.kernelW(); s++) {
        float wv = w[wBase + r * p.kernelW() + s];
        int rowOffset = r * p.dilationH() - p.padding().top();
        int colOffset = s * p.dilationW() - p.padding().left();
        int[] ows = validRange(g.outW(), colOffset, p.strideW(), g.w());
        for (int oh = 0; oh < g.outH(); oh++) {
          int ih = oh * p.strideH() + rowOffset;
          if (ih < 0 || ih >= g.h()) {
            continue;
          }
          int accRow = ih * g.w() + colOffset;
          int dyRow = dyPlane + oh * g.outW();
          for (int ow = ows[0]; ow < ows[1]; ow++) {
            acc[accRow + ow * p.strideW()] += wv * dy[dyRow + ow];
          }
        }
      }
    }
  }

  /**
   * Filter gradient: {@code gradWeights[k][c'][r][s] = sum_{n,oh,ow} gradOutput[n][k][oh][ow] *
   * input[n][c][ih][iw]}, the correlation of the input with gradOutput. One task per (k, c'), each
   * tap summed in double over N*outH*outW.
   */
  static void backwardFilter(
      Parallel par, float[] input, float[] gradOutput, float[] gradWeights, ConvGeometry g) {
    int cg = g.channelsPerGroup();
    var p = g.params();
    int taps = p.kernelH() * p.kernelW();
    int planeOut = g.outH() * g.outW();
    par.forEach(
        g.k() * cg,
        (long) g.n() * planeOut * taps,
        task -> {
          int k = task / cg;
          int ci = task % cg;
          int c = (k / g.filtersPerGroup()) * cg + ci;
          for (int r = 0; r < p.kernelH(); r++) {
            for (int s = 0; s < p.kernelW(); s++) {
              double acc = 0;
              for (int n = 0; n < g.n(); n++) {
                int inPlane = (n * g.c() + c) * g.h() * g.w();
                int dyPlane = (n * g.k() + k) * planeOut;
                acc += tapCorrelation(input, inPlane, gradOutput, dyPlane, r, s, g);
              }
              gradWeights[task * taps + r * p.kernelW() + s] = (float) acc;
            }
          }
        });
  }

  /** {@code sum_{oh,ow} dy[oh][ow] * in[ih][iw]} for one tap (r, s) of one (n, k, c). */
  private static double tapCorrelation(
      float[] in, int inPlane, float[] dy, int dyPlane, int r, int s, ConvGeometry g) {
    var p = g.params();
    int rowOffset = r * p.dilationH() - p.padding().top();
    int colOffset = s * p.dilationW() - p.padding().left();
    int[] ows = validRange(g.outW(), colOffset, p.strideW(), g.w());
    double acc = 0;
    for (int oh = 0; oh < g.outH(); oh++) {
      int ih = oh * p.strideH() + rowOffset;
      if (ih < 0 || ih >= g.h()) {
        continue;
      }
      int inRow = inPlane + ih * g.w() + colOffset;
      int dyRow = dyPlane + oh * g.outW();
      for (int ow = ows[0]; ow < ows[1]; ow++) {
        acc += (double) dy[dyRow + ow] * in[inRow + ow * p.strideW()];
      }
    }
    return acc;
  }

  /** {@code gradBias[k] = sum over n and the trailing (spatial) dims of gradOutput[n][k][...]}. */
  static void backwardBias(float[] gradOutput, int n, int k, int spatial, float[] gradBias) {
    for (int kk = 0; kk < k; kk++) {
      double acc = 0;
      for (int nn = 0; nn < n; nn++) {
        int base = (nn * k + kk) * spatial;
        for (int i = 0; i < spatial; i++) {
          acc += gradOutput[base + i];
        }
      }
      gradBias[kk] = (float) acc;
    }
  }
}
