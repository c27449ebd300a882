package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.convcl.ref.RefConv;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.convcl.testutil.RandomGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CPU convolution lowering that applies, on seeded random geometries (stride, asymmetric
 * padding, dilation, groups, depthwise, odd sizes, batch 1; see {@link RandomGeometry}) and on
 * larger fixed ones that cross the GEMM's register tiles and kc slices, against the naive double
 * loops of {@link RefConv}. Outputs are poisoned with NaN first, so a cell a lowering forgets
 * fails.
 *
 * <p>Tolerance: each result is a float sum of T terms (fused multiply-adds, then for the input
 * gradient the fold's adds, for the filter gradient the chunk partials' adds), so its error is at
 * most gamma_T * S with gamma_T = T*u/(1 - T*u), u = 2^-24, and S the sum of the absolute values of
 * its terms (the naive pass on |x| and |w|); T per pass is in {@link #terms}. The check is that
 * bound per element; a missing or misplaced tap is off by a whole term, far more.
 */
class ConvLoweringTest {
  static Stream<Arguments> geometries() {
    List<Arguments> cases = new ArrayList<>();
    for (long seed = 0; seed < 150; seed++) {
      Random r = new Random(seed);
      ConvGeometry g = seed % 5 == 4 ? RandomGeometry.conv(r, 5, 30) : RandomGeometry.conv(r, 7);
      cases.add(Arguments.of("seed " + seed, seed, g));
    }
    List<ConvGeometry> fixed =
        List.of(
            ConvGeometry.of(2, 1, 28, 28, 20, ConvParams.of(5)), // LeNet conv1
            ConvGeometry.of(3, 20, 12, 12, 50, ConvParams.of(5)), // LeNet conv2: 500 taps
            ConvGeometry.of(1, 16, 13, 11, 24, ConvParams.of(3).withPadding(1)),
            ConvGeometry.of(5, 40, 9, 10, 70, ConvParams.of(3).withStride(2).withDilation(2)),
            ConvGeometry.of(2, 24, 15, 17, 36, ConvParams.of(1)),
            ConvGeometry.of(3, 12, 9, 9, 18, ConvParams.of(1).withGroups(3)),
            ConvGeometry.of(2, 8, 20, 20, 8, ConvParams.of(3).withPadding(1).withGroups(8)),
            ConvGeometry.of(
                2,
                6,
                19,
                23,
                33,
                ConvParams.of(4).withStride(3).withPadding(new Padding(0, 2, 3, 1))),
            ConvGeometry.of(9, 3, 40, 40, 7, ConvParams.of(7).withStride(2).withPadding(3)),
            // 1,080 taps: the input gradient's A (taps x K) spans two mc row blocks.
            ConvGeometry.of(2, 120, 5, 6, 8, ConvParams.of(3).withPadding(1)),
            // 1x1 images: a dense layer (dense-gemm), batch 1 and an odd batch across tiles.
            ConvGeometry.of(1, 37, 1, 1, 29, ConvParams.of(1)),
            ConvGeometry.of(13, 300, 1, 1, 50, ConvParams.of(1)),
            ConvGeometry.of(7, 12, 1, 1, 9, ConvParams.of(1).withGroups(3)));
    for (int i = 0; i < fixed.size(); i++) {
      cases.add(Arguments.of("fixed " + i, 10_000L + i, fixed.get(i)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geometries")
  void everyLoweringMatchesTheNaiveLoopsAndAnyThreadCount(String name, long seed, ConvGeometry g) {
    Random r = new Random(seed);
    float[] x = Rand.floats(r, g.inputShape().size());
    float[] w = Rand.floats(r, g.weightShape().size());
    float[] b = g.params().bias() ? Rand.floats(r, g.k()) : null;
    float[] dy = Rand.floats(r, g.outputShape().size());
    double[] xd = Numeric.toDouble(x);
    double[] wd = Numeric.toDouble(w);
    double[] dyd = Numeric.toDouble(dy);
    double[] bd = b == null ? null : Numeric.toDouble(b);
    double[] absB = bd == null ? null : Numeric.abs(bd);
    String ctx = name + ", " + g;
    for (ConvPass pass : ConvPass.values()) {
      double[] expected;
      double[] scale;
      int outSize;
      switch (pass) {
        case FORWARD -> {
          expected = RefConv.forward(xd, wd, bd, g);
          scale = RefConv.forward(Numeric.abs(xd), Numeric.abs(wd), absB, g);
          outSize = g.outputShape().size();
        }
        case BACKWARD_INPUT -> {
          expected = RefConv.backwardInput(dyd, wd, g);
          scale = RefConv.backwardInput(Numeric.abs(dyd), Numeric.abs(wd), g);
          outSize = g.inputShape().size();
        }
        default -> {
          expected = RefConv.backwardFilter(xd, dyd, g);
          scale = RefConv.backwardFilter(Numeric.abs(xd), Numeric.abs(dyd), g);
          outSize = g.weightShape().size();
        }
      }
      float[] first0 = pass == ConvPass.BACKWARD_FILTER ? x : pass == ConvPass.FORWARD ? x : dy;
      float[] second = pass == ConvPass.BACKWARD_FILTER ? dy : w;
      float[] bias = pass == ConvPass.FORWARD ? b : null;
      double gamma = gamma(terms(pass, g));
      int lowerings = 0;
      for (int threads = 1; threads <= 3; threads++) {
        try (Parallel par = new Parallel(threads)) {
          CpuConvPlanner planner = new CpuConvPlanner(CpuGemm.forMachine(par, MicroKernels.best()));
          for (CpuConvLowering l : planner.applicable(pass, g)) {
            float[] out = new float[outSize];
            Arrays.fill(out, Float.NaN);
            l.run(first0, second, bias, out, g);
            check(ctx + ", " + l + ", threads " + threads, expected, scale, gamma, out);
            // Twice on the same engine: reused scratch must not leak into the next call.
            float[] again = new float[outSize];
            Arrays.fill(again, Float.NaN);
            l.run(first0, second, bias, again, g);
            assertArrayEquals(out, again, ctx + ", " + l + " second call");
            lowerings++;
          }
        }
      }
      assertTrue(lowerings >= 3, ctx + ": " + pass + " ran no lowering");
    }
  }

  @Test
  void thePlannerPrefersTheSpecialisedLoweringAndFallsBackToTheGeneralOne() {
    try (Parallel par = new Parallel(1)) {
      CpuConvPlanner planner = new CpuConvPlanner(CpuGemm.forMachine(par, MicroKernels.best()));
      ConvGeometry pointwise = ConvGeometry.of(2, 8, 5, 5, 4, ConvParams.of(1));
      ConvGeometry strided = ConvGeometry.of(2, 8, 5, 5, 4, ConvParams.of(1).withStride(2));
      for (ConvPass pass : ConvPass.values()) {
        assertSame(planner.choose(pass, pointwise), planner.applicable(pass, pointwise).get(0));
        assertTrue(planner.choose(pass, pointwise).name().startsWith("pointwise"));
        assertFalse(planner.choose(pass, strided).name().startsWith("pointwise"));
        assertFalse(planner.choose(pass, strided).tunables().isEmpty());
      }
    }
  }

  /** The number of float operations along each result's sum (see the class comment). */
  static int terms(ConvPass pass, ConvGeometry g) {
    int rs = g.params().kernelH() * g.params().kernelW();
    return switch (pass) {
      case FORWARD -> g.channelsPerGroup() * rs + 1;
      case BACKWARD_INPUT -> (g.filtersPerGroup() + 1) * rs;
      case BACKWARD_FILTER -> g.n() * g.outH() * g.outW() + GemmConvBackwardFilter.BATCH_CHUNKS;
    };
  }

  static double gamma(int terms) {
    double u = Math.ulp(1.0f) / 2;
    return terms * u / (1 - terms * u);
  }

  private static void check(
      String ctx, double[] expected, double[] scale, double gamma, float[] out) {
    for (int i = 0; i < expected.length; i++) {
      double bound = gamma * scale[i];
      if (!(Math.abs(out[i] - expected[i]) <= bound)) {
        fail(
            ctx
                + ": element "
                + i
                + " = "
                + out[i]
                + ", naive "
                + expected[i]
                + ", bound "
                + bound);
      }
    }
  }
}
