package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of opencl/conv_igemm.cl against RefOps: every pass, under several tunable
 * settings (default tiles, small tiles, the small-C shape, no local staging, odd tile counts, wide
 * vectors), on the fixed edge cases and seeded random geometries of {@link ConvCases}, with
 * NaN-poisoned outputs. The tolerances are the direct kernels' ({@link Tolerance}): the sums have
 * the same terms (in ascending tap or pixel order, one float accumulator per output).
 */
@Tag("opencl")
class ConvGemmKernelsTest {
  static final int RANDOM_CASES = 60;

  /**
   * Settings that differ in every tunable, reach both tile-load forms (nested, flat) and both
   * staging modes; each is legal on any device with 256 work-items.
   */
  static final List<Map<String, Integer>> SETTINGS =
      List.of(
          Map.of(),
          Map.of(
              "MWG", 32, "NWG", 32, "KWG", 8, "KWI", 2, "MDIMC", 4, "NDIMC", 8, "VWM", 2, "VWN", 2),
          Map.of("MWG", 8, "NWG", 64, "KWG", 4, "MDIMC", 1, "NDIMC", 16, "VWN", 4),
          Map.of(
              "MWG", 16, "NWG", 16, "KWG", 16, "MDIMC", 16, "NDIMC", 16, "VWN", 1, "SA", 0, "SB",
              0),
          Map.of(
              "MWG", 20, "NWG", 24, "KWG", 2, "KWI", 1, "MDIMC", 4, "NDIMC", 8, "VWN", 1, "SB", 0),
          Map.of(
              "MWG", 64, "NWG", 128, "KWG", 32, "KWI", 4, "MDIMC", 8, "NDIMC", 16, "VWM", 4, "VWN",
              8),
          Map.of(
              "MWG", 1, "NWG", 256, "KWG", 32, "KWI", 32, "MDIMC", 1, "NDIMC", 64, "VWN", 4, "SA",
              0),
          // NWG = 24 against 16 work-items: neither divides the other, so the B tile takes the flat
          // loop.
          Map.of("MWG", 16, "NWG", 24, "KWG", 8, "KWI", 2, "MDIMC", 2, "NDIMC", 8, "VWN", 1));

  @Test
  void everyPassAndSettingMatchesTheOracle() {
    List<ConvGeometry> cases = new ArrayList<>(ConvCases.fixed());
    cases.addAll(ConvCases.randomCases(RANDOM_CASES));
    for (int i = 0; i < cases.size(); i++) {
      long seed = ConvCases.RANDOM_SEED * 37 + i;
      check(cases.get(i), seed, "case " + i + " seed " + seed + " " + cases.get(i));
    }
  }

  private static void check(ConvGeometry g, long seed, String context) {
    try (Twin t = new Twin()) {
      ConvOperands o = new ConvOperands(t, g, seed);
      Tensor[] y = t.output(g.outputShape());
      Tensor[] dx = t.output(g.inputShape());
      Tensor[] dw = t.output(g.weightShape());
      t.ref.convForward(o.x[0], o.w[0], o.bias(0), y[0], g);
      t.ref.convBackwardInput(o.dy[0], o.w[0], dx[0], g);
      t.ref.convBackwardFilter(o.x[0], o.dy[0], dw[0], g);
      for (Map<String, Integer> s : SETTINGS) {
        String where = s + " " + context;
        t.poison(y);
        ConvGemmKernels.forward(t.cl, o.x[1], o.w[1], o.bias(1), y[1], g, s);
        t.assertWithin("igemm forward " + where, y, o.forwardBound);
        t.poison(dx);
        ConvGemmKernels.backwardInput(t.cl, o.dy[1], o.w[1], dx[1], g, s);
        t.assertWithin("igemm backwardInput " + where, dx, o.inputBound);
        t.poison(dw);
        ConvGemmKernels.backwardFilter(t.cl, o.x[1], o.dy[1], dw[1], g, s);
        t.assertWithin("igemm backwardFilter " + where, dw, o.filterBound);
      }
    }
  }

  /** The bench's layer shapes at batch 2 (LeNet's C = 1 and the 3x3 layers), default settings. */
  @Test
  void benchShapesAtSmallBatchMatchTheOracle() {
    List<ConvGeometry> shapes =
        List.of(
            ConvGeometry.of(2, 1, 28, 28, 20, ConvParams.of(5)),
            ConvGeometry.of(2, 20, 12, 12, 50, ConvParams.of(5)),
            ConvGeometry.of(1, 64, 14, 14, 64, ConvParams.of(3).withPadding(1)),
            ConvGeometry.of(1, 3, 30, 30, 16, ConvParams.of(7).withStride(2).withPadding(3)));
    for (int i = 0; i < shapes.size(); i++) {
      check(shapes.get(i), 99 + i, "bench shape " + shapes.get(i));
    }
  }

  /**
   * Each output adds its terms in ascending order in one float accumulator whatever the tiling, and
   * the filter gradient's chunks depend on the shapes alone: every setting gives the same bits.
   */
  @Test
  void resultsAreBitIdenticalAcrossSettingsAndRuns() {
    ConvGeometry g =
        ConvGeometry.of(3, 6, 13, 11, 10, ConvParams.of(3).withPadding(1).withStride(2, 1));
    ClOps cl = ClTestSupport.ops();
    Random r = new Random(11);
    try (Tensor x = cl.upload(g.inputShape(), Rand.floats(r, g.inputShape().size()));
        Tensor w = cl.upload(g.weightShape(), Rand.floats(r, g.weightShape().size()));
        Tensor dy = cl.upload(g.outputShape(), Rand.floats(r, g.outputShape().size()));
        Tensor y = cl.allocate(g.outputShape(), DType.FLOAT32);
        Tensor dx = cl.allocate(g.inputShape(), DType.FLOAT32);
        Tensor dw = cl.allocate(g.weightShape(), DType.FLOAT32)) {
      float[][] first = null;
      for (Map<String, Integer> s : SETTINGS) {
        for (int run = 0; run < 2; run++) {
          cl.fill(y, Float.NaN);
          cl.fill(dx, Float.NaN);
          cl.fill(dw, Float.NaN);
          ConvGemmKernels.forward(cl, x, w, null, y, g, s);
          ConvGemmKernels.backwardInput(cl, dy, w, dx, g, s);
          ConvGemmKernels.backwardFilter(cl, x, dy, dw, g, s);
          float[][] now = {cl.read(y), cl.read(dx), cl.read(dw)};
          if (first == null) {
            first = now;
          }
          for (int p = 0; p < 3; p++) {
            assertArrayEquals(first[p], now[p], "pass " + p + " setting " + s + " run " + run);
          }
        }
      }
    }
  }

  /** Input cells that no window reads (stride 3, kernel 2) are exactly +0 under every setting. */
  @Test
  void unreadInputCellsGetExactlyZero() {
    ConvGeometry g = ConvGeometry.of(1, 2, 11, 8, 3, ConvParams.of(2).withStride(3, 2));
    ClOps cl = ClTestSupport.ops();
    Random r = new Random(5);
    try (Tensor dy = cl.upload(g.outputShape(), Rand.floats(r, g.outputShape().size()));
        Tensor w = cl.upload(g.weightShape(), Rand.floats(r, g.weightShape().size()));
        Tensor dx = cl.allocate(g.inputShape(), DType.FLOAT32)) {
      for (Map<String, Integer> s : SETTINGS) {
        cl.fill(dx, Float.NaN);
        ConvGemmKernels.backwardInput(cl, dy, w, dx, g, s);
        float[] out = cl.read(dx);
        int unread = 0;
        for (int i = 0; i < out.length; i++) {
          int ih = (i % (g.h() * g.w())) / g.w();
          if (ih % 3 == 2) { // rows 2, 5 and 8 lie between the windows (rows 3q, 3q + 1)
            unread++;
            assertEquals(0, Float.floatToRawIntBits(out[i]), s + " cell " + i + " = " + out[i]);
          }
        }
        assertTrue(unread > 0, "the case must leave cells unread");
      }
    }
  }
}
