package org.convcl.nn.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.convcl.cpu.CpuOps;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Test;

class ConvExplainerTest {

  private static String line(List<String> lines, String lhs) {
    return lines.stream()
        .filter(l -> l.trim().startsWith(lhs + " = "))
        .findFirst()
        .orElseThrow()
        .trim();
  }

  @Test
  void threeByThreeWithTwoByTwoMatchesTheNotes() {
    List<String> lines = new ConvExplainer(3, 3, ConvParams.of(2)).lines();
    assertEquals("O11 = X11*F11 + X12*F12 + X21*F21 + X22*F22", line(lines, "O11"));
    assertEquals(
        "dL/dF11 = X11*dL/dO11 + X12*dL/dO12 + X21*dL/dO21 + X22*dL/dO22", line(lines, "dL/dF11"));
    assertEquals("dL/dX11 = F11*dL/dO11", line(lines, "dL/dX11"));
    assertEquals(
        "dL/dX22 = F22*dL/dO11 + F21*dL/dO12 + F12*dL/dO21 + F11*dL/dO22", line(lines, "dL/dX22"));
    assertEquals("dL/dX33 = F22*dL/dO22", line(lines, "dL/dX33"));
  }

  @Test
  void paddedCellsDropOut() {
    List<String> lines = new ConvExplainer(2, 2, ConvParams.of(2).withPadding(1)).lines();
    assertEquals("O11 = X11*F22", line(lines, "O11"));
  }

  /** The enumerated terms, evaluated on numbers, equal the CPU oracle for odd geometries. */
  @Test
  void termsAgreeWithTheOracle() {
    ConvParams[] ps = {
      ConvParams.of(2),
      ConvParams.of(3).withStride(2).withPadding(Padding.of(1, 2)),
      ConvParams.of(2).withDilation(2, 1).withStride(1, 2).withPadding(1),
    };
    Random r = new Random(17);
    try (CpuOps ops = new CpuOps()) {
      for (ConvParams p : ps) {
        int h = 5;
        int w = 6;
        ConvExplainer e = new ConvExplainer(h, w, p);
        ConvGeometry g = ConvGeometry.of(1, 1, h, w, 1, p.withBias(false));
        float[] x = Rand.floats(r, h * w);
        float[] f = Rand.floats(r, p.kernelH() * p.kernelW());
        float[] dO = Rand.floats(r, g.outH() * g.outW());
        try (Tensor tx = ops.upload(g.inputShape(), x);
            Tensor tf = ops.upload(g.weightShape(), f);
            Tensor to = ops.allocate(g.outputShape(), tx.dtype());
            Tensor tdo = ops.upload(g.outputShape(), dO);
            Tensor tdx = ops.allocate(g.inputShape(), tx.dtype());
            Tensor tdf = ops.allocate(g.weightShape(), tx.dtype())) {
          ops.convForward(tx, tf, null, to, g);
          ops.convBackwardInput(tdo, tf, tdx, g);
          ops.convBackwardFilter(tx, tdo, tdf, g);
          int kw = p.kernelW();
          int ow = g.outW();
          double[] o = new double[g.outH() * ow];
          double[] dx = new double[h * w];
          double[] df = new double[p.kernelH() * kw];
          for (int oh = 0; oh < g.outH(); oh++) {
            for (int oc = 0; oc < ow; oc++) {
              for (Term t : e.output(oh, oc)) {
                o[oh * ow + oc] += x[t.ih() * w + t.iw()] * f[t.r() * kw + t.s()];
              }
            }
          }
          for (int i = 0; i < h * w; i++) {
            for (Term t : e.gradInput(i / w, i % w)) {
              dx[i] += f[t.r() * kw + t.s()] * dO[t.oh() * ow + t.ow()];
            }
          }
          for (int i = 0; i < df.length; i++) {
            for (Term t : e.gradFilter(i / kw, i % kw)) {
              df[i] += x[t.ih() * w + t.iw()] * dO[t.oh() * ow + t.ow()];
            }
          }
          String ctx = p + " seed 17";
          ArrayDiff.assertClose(ctx + " O", g.outputShape(), o, ops.read(to), 1e-5, 1e-5);
          ArrayDiff.assertClose(ctx + " dX", g.inputShape(), dx, ops.read(tdx), 1e-5, 1e-5);
          ArrayDiff.assertClose(ctx + " dF", g.weightShape(), df, ops.read(tdf), 1e-5, 1e-5);
        }
      }
    }
  }

  @Test
  void maxPoolRoutesToTheWinner() {
    float[] v = {1, 5, 2, 0, 3, 4, 9, 9, 8};
    List<String> lines = new PoolExplainer(3, 3, PoolParams.of(2, 1), v).lines();
    assertEquals("O11 = max(X11, X12, X21, X22) = X12 = 5.0", line(lines, "O11"));
    assertEquals("dL/dX12 = dL/dO11 + dL/dO12", line(lines, "dL/dX12"));
    assertEquals("dL/dX31 = dL/dO21", line(lines, "dL/dX31"), "ties go to the first maximum");
    assertEquals("dL/dX11 = 0", line(lines, "dL/dX11"));
    assertTrue(
        new PoolExplainer(3, 3, PoolParams.of(2, 1), null)
            .lines().stream()
                .anyMatch(l -> l.contains("dL/dO11 -> the argmax of {X11, X12, X21, X22}")));
  }
}
