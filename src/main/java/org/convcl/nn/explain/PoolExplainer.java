package org.convcl.nn.explain;

import java.util.ArrayList;
import java.util.List;
import org.convcl.tensor.OutputSize;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Require;
import org.convcl.tensor.WindowIndex;
import org.convcl.tensor.WindowMax;

/**
 * Max pooling spelled out: each output as the max of its window, and where each {@code dL/dO} is
 * routed. Given input values, the route is the window's first maximum in row-major order (padding
 * never wins), as in every backend, and every {@code dL/dX} is listed as the sum of what it
 * receives.
 */
public final class PoolExplainer {
  private final int h;
  private final int w;
  private final PoolParams p;
  private final int outH;
  private final int outW;
  private final float[] values;

  /** {@code values} (row-major, length h*w) may be null for a symbolic explanation. */
  public PoolExplainer(int h, int w, PoolParams p, float[] values) {
    this.h = Require.positive("input height", h);
    this.w = Require.positive("input width", w);
    this.p = p;
    Require.that(
        values == null || values.length == h * w,
        "values",
        values == null ? 0 : values.length,
        "must give " + h * w + " numbers, row by row");
    this.values = values;
    var pad = p.padding();
    outH = OutputSize.floor(h, pad.top(), pad.bottom(), p.kernelH(), p.strideH(), 1);
    outW = OutputSize.floor(w, pad.left(), pad.right(), p.kernelW(), p.strideW(), 1);
    Require.that(
        outH > 0 && outW > 0, "pool window", p.kernelH() + "x" + p.kernelW(), "does not fit");
  }

  /** The real input cells of window {@code (oh, ow)}, row-major, as {@code [ih, iw]} pairs. */
  public List<int[]> window(int oh, int ow) {
    List<int[]> cells = new ArrayList<>();
    for (int r = 0; r < p.kernelH(); r++) {
      for (int s = 0; s < p.kernelW(); s++) {
        int ih = WindowIndex.input(oh, p.strideH(), p.padding().top(), r, 1);
        int iw = WindowIndex.input(ow, p.strideW(), p.padding().left(), s, 1);
        if (WindowIndex.inside(ih, h) && WindowIndex.inside(iw, w)) {
          cells.add(new int[] {ih, iw});
        }
      }
    }
    return cells;
  }

  /** The window's maximum by the op's own rule ({@link WindowMax}: first wins, NaN propagates). */
  public int[] argmax(int oh, int ow) {
    int[] best = null;
    for (int[] c : window(oh, ow)) {
      if (best == null || WindowMax.beats(values[c[0] * w + c[1]], values[best[0] * w + best[1]])) {
        best = c;
      }
    }
    return best;
  }

  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add(String.format("Output %dx%d: each O is the maximum of its window", outH, outW));
    for (int oh = 0; oh < outH; oh++) {
      for (int ow = 0; ow < outW; ow++) {
        List<String> names =
            window(oh, ow).stream().map(c -> Notation.name("X", c[0], c[1])).toList();
        String line =
            "  " + Notation.name("O", oh, ow) + " = max(" + String.join(", ", names) + ")";
        if (values != null) {
          int[] a = argmax(oh, ow);
          line += " = " + Notation.name("X", a[0], a[1]) + " = " + values[a[0] * w + a[1]];
        }
        out.add(line);
      }
    }
    out.add("Gradient routing: dL/dO goes to the input that won its window; all others get 0");
    if (values == null) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          List<String> names =
              window(oh, ow).stream().map(c -> Notation.name("X", c[0], c[1])).toList();
          out.add(
              "  "
                  + Notation.name("dL/dO", oh, ow)
                  + " -> the argmax of {"
                  + String.join(", ", names)
                  + "}");
        }
      }
      out.add("  (give --values to see the routes and every dL/dX)");
      return out;
    }
    List<List<String>> received = new ArrayList<>();
    for (int i = 0; i < h * w; i++) {
      received.add(new ArrayList<>());
    }
    for (int oh = 0; oh < outH; oh++) {
      for (int ow = 0; ow < outW; ow++) {
        int[] a = argmax(oh, ow);
        out.add("  " + Notation.name("dL/dO", oh, ow) + " -> " + Notation.name("X", a[0], a[1]));
        received.get(a[0] * w + a[1]).add(Notation.name("dL/dO", oh, ow));
      }
    }
    for (int ih = 0; ih < h; ih++) {
      for (int iw = 0; iw < w; iw++) {
        List<String> got = received.get(ih * w + iw);
        out.add(
            "  "
                + Notation.name("dL/dX", ih, iw)
                + " = "
                + (got.isEmpty() ? "0" : String.join(" + ", got)));
      }
    }
    return out;
  }
}
