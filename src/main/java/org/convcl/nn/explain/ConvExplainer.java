package org.convcl.nn.explain;

import java.util.ArrayList;
import java.util.List;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.OutputSize;
import org.convcl.tensor.Padding;
import org.convcl.tensor.Require;
import org.convcl.tensor.WindowIndex;

/**
 * Every output of a small single-channel convolution as its sum of input x filter products, and
 * every entry of the two gradients as its sum over {@code dL/dO}, derived by enumerating the
 * windows with {@link WindowIndex}:
 *
 * <ul>
 *   <li>{@code O[oh][ow] = sum_{r,s} X[ih][iw] * F[r][s]}
 *   <li>{@code dL/dF[r][s] = sum_{oh,ow} X[ih][iw] * dL/dO[oh][ow]}
 *   <li>{@code dL/dX[ih][iw] = sum of F[r][s] * dL/dO[oh][ow]} over the (oh, ow, r, s) that read it
 * </ul>
 */
public final class ConvExplainer {
  private final int h;
  private final int w;
  private final ConvParams p;
  private final int outH;
  private final int outW;
  // Each term indexed once by the cell it belongs to, so every lookup is direct, not a scan.
  private final List<List<Term>> byOutput;
  private final List<List<Term>> byTap;
  private final List<List<Term>> byInput;

  public ConvExplainer(int h, int w, ConvParams p) {
    this.h = Require.positive("input height", h);
    this.w = Require.positive("input width", w);
    this.p = p;
    Padding pad = p.padding();
    outH = OutputSize.floor(h, pad.top(), pad.bottom(), p.kernelH(), p.strideH(), p.dilationH());
    outW = OutputSize.floor(w, pad.left(), pad.right(), p.kernelW(), p.strideW(), p.dilationW());
    Require.that(
        outH > 0 && outW > 0,
        "kernel",
        p.kernelH() + "x" + p.kernelW(),
        "does not fit the padded " + h + "x" + w + " input");
    byOutput = lists(outH * outW);
    byTap = lists(p.kernelH() * p.kernelW());
    byInput = lists(h * w);
    enumerate();
  }

  /** Every (output, tap) pair whose input position is real, in output-major, tap-minor order. */
  private void enumerate() {
    for (int oh = 0; oh < outH; oh++) {
      for (int ow = 0; ow < outW; ow++) {
        for (int r = 0; r < p.kernelH(); r++) {
          for (int s = 0; s < p.kernelW(); s++) {
            int ih = WindowIndex.input(oh, p.strideH(), p.padding().top(), r, p.dilationH());
            int iw = WindowIndex.input(ow, p.strideW(), p.padding().left(), s, p.dilationW());
            if (WindowIndex.inside(ih, h) && WindowIndex.inside(iw, w)) {
              Term t = new Term(ih, iw, r, s, oh, ow);
              byOutput.get(oh * outW + ow).add(t);
              byTap.get(r * p.kernelW() + s).add(t);
              byInput.get(ih * w + iw).add(t);
            }
          }
        }
      }
    }
  }

  private static List<List<Term>> lists(int n) {
    List<List<Term>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    return out;
  }

  public int outH() {
    return outH;
  }

  public int outW() {
    return outW;
  }

  /** The terms of output {@code (oh, ow)} (0-based), ordered by tap. */
  public List<Term> output(int oh, int ow) {
    return List.copyOf(byOutput.get(oh * outW + ow));
  }

  /** The terms of {@code dL/dF[r][s]}, ordered by output. */
  public List<Term> gradFilter(int r, int s) {
    return List.copyOf(byTap.get(r * p.kernelW() + s));
  }

  /** The terms of {@code dL/dX[ih][iw]}, ordered by output. */
  public List<Term> gradInput(int ih, int iw) {
    return List.copyOf(byInput.get(ih * w + iw));
  }

  /** The whole explanation as text lines. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(String.format("Output %dx%d: O = X (*) F, cross-correlation", outH, outW));
    for (int oh = 0; oh < outH; oh++) {
      for (int ow = 0; ow < outW; ow++) {
        out.add(
            "  "
                + Notation.name("O", oh, ow)
                + " = "
                + Notation.sum(output(oh, ow), t -> Notation.x(t) + "*" + Notation.f(t)));
      }
    }
    out.add("Filter gradient dL/dF: correlation of X with dL/dO");
    for (int r = 0; r < p.kernelH(); r++) {
      for (int s = 0; s < p.kernelW(); s++) {
        out.add(
            "  "
                + Notation.name("dL/dF", r, s)
                + " = "
                + Notation.sum(gradFilter(r, s), t -> Notation.x(t) + "*" + Notation.dO(t)));
      }
    }
    out.add("Input gradient dL/dX: full convolution of dL/dO with the 180-degree-rotated F");
    for (int ih = 0; ih < h; ih++) {
      for (int iw = 0; iw < w; iw++) {
        out.add(
            "  "
                + Notation.name("dL/dX", ih, iw)
                + " = "
                + Notation.sum(gradInput(ih, iw), t -> Notation.f(t) + "*" + Notation.dO(t)));
      }
    }
    return out;
  }
}
