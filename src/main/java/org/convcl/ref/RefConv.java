package org.convcl.ref;

import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;

/**
 * Convolution (cross-correlation) as the plainest double-precision loops, straight from the formula
 * in docs/math.md. One enumeration of (input cell, weight, output cell) triples defines the forward
 * pass; both backward passes are its mechanical transposes: they scatter along the same triples, so
 * they cannot disagree with the forward on which cells a window reads.
 *
 * <p>Layouts: input {@code [N][C][H][W]}, weights {@code [K][C/groups][R][S]}, output {@code
 * [N][K][outH][outW]}; filter k belongs to group {@code k / (K/groups)} and reads input channels
 * {@code group*(C/groups) ..}.
 */
public final class RefConv {
  private RefConv() {}

  /** Which of the three index spaces of a tap a pass accumulates into. */
  enum Into {
    /** Forward: {@code output[o] += input[i] * weights[wt]}. */
    OUTPUT,
    /** Input gradient: {@code gradInput[i] += weights[wt] * gradOutput[o]}. */
    INPUT,
    /** Filter gradient: {@code gradWeights[wt] += input[i] * gradOutput[o]}. */
    WEIGHTS
  }

  /**
   * Visits every product of the forward sum whose input cell lies inside the input, with {@code ih
   * = oh*strideH - padTop + r*dilationH} and {@code iw = ow*strideW - padLeft + s*dilationW}; cells
   * in the padding read 0 and contribute nothing. For each such (input cell i, weight wt, output
   * cell o) it adds the product of two of {@code x[i]}, {@code w[wt]}, {@code y[o]} to the third,
   * the one named by {@code into}. Indices are flat.
   */
  static void forEachTap(ConvGeometry g, double[] x, double[] w, double[] y, Into into) {
    ConvParams p = g.params();
    int cg = g.channelsPerGroup();
    int kg = g.filtersPerGroup();
    for (int n = 0; n < g.n(); n++) {
      for (int k = 0; k < g.k(); k++) {
        int group = k / kg;
        for (int oh = 0; oh < g.outH(); oh++) {
          for (int ow = 0; ow < g.outW(); ow++) {
            int o = ((n * g.k() + k) * g.outH() + oh) * g.outW() + ow;
            for (int cl = 0; cl < cg; cl++) {
              int c = group * cg + cl;
              for (int r = 0; r < p.kernelH(); r++) {
                int ih = oh * p.strideH() - p.padding().top() + r * p.dilationH();
                if (ih < 0 || ih >= g.h()) {
                  continue; // the whole filter row reads padding
                }
                for (int s = 0; s < p.kernelW(); s++) {
                  int iw = ow * p.strideW() - p.padding().left() + s * p.dilationW();
                  if (iw >= 0 && iw < g.w()) {
                    int i = ((n * g.c() + c) * g.h() + ih) * g.w() + iw;
                    int wt = ((k * cg + cl) * p.kernelH() + r) * p.kernelW() + s;
                    switch (into) {
                      case OUTPUT -> y[o] += x[i] * w[wt];
                      case INPUT -> x[i] += w[wt] * y[o];
                      case WEIGHTS -> w[wt] += x[i] * y[o];
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /** {@code output[n][k][oh][ow] = bias[k] + sum of its taps}; {@code bias} [K] may be null. */
  public static double[] forward(double[] input, double[] weights, double[] bias, ConvGeometry g) {
    double[] out = new double[g.outputShape().size()];
    if (bias != null) {
      int plane = g.outH() * g.outW();
      for (int o = 0; o < out.length; o++) {
        out[o] = bias[(o / plane) % g.k()];
      }
    }
    forEachTap(g, input, weights, out, Into.OUTPUT);
    return out;
  }

  /**
   * gradInput {@code [N][C][H][W]}: each output's gradient flows back along the taps that made it
   * (the full convolution of the zero-spread gradOutput with the rotated filter, docs/math.md).
   * Cells no window reads stay exactly 0.
   */
  public static double[] backwardInput(double[] gradOutput, double[] weights, ConvGeometry g) {
    double[] gradInput = new double[g.inputShape().size()];
    forEachTap(g, gradInput, weights, gradOutput, Into.INPUT);
    return gradInput;
  }

  /**
   * gradWeights {@code [K][C/groups][R][S]}: each weight collects input * gradOutput over its taps.
   */
  public static double[] backwardFilter(double[] input, double[] gradOutput, ConvGeometry g) {
    double[] gradWeights = new double[g.weightShape().size()];
    forEachTap(g, input, gradWeights, gradOutput, Into.WEIGHTS);
    return gradWeights;
  }

  /**
   * gradBias {@code [K]}: the sum of gradOutput {@code [N][K][...]} over every dimension but K
   * (serves convolution and dense layers).
   */
  public static double[] backwardBias(double[] gradOutput, int n, int k) {
    double[] gradBias = new double[k];
    int plane = gradOutput.length / (n * k);
    for (int o = 0; o < gradOutput.length; o++) {
      gradBias[(o / plane) % k] += gradOutput[o];
    }
    return gradBias;
  }
}
