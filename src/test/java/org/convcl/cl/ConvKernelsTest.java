package org.convcl.cl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of opencl/conv_*.cl against CpuOps: forward, input gradient, filter gradient
 * and bias gradient on 150 seeded random geometries plus fixed edge cases.
 */
@Tag("opencl")
class ConvKernelsTest {
  private static final long BASE_SEED = 20_261_123L;
  private static final int RANDOM_CASES = 150;

  @Test
  void allPassesMatchTheOracle() {
    List<ConvGeometry> cases = new ArrayList<>(ConvCases.fixed());
    for (int i = 0; i < RANDOM_CASES; i++) {
      cases.add(ConvCases.random(new Random(BASE_SEED + i)));
    }
    for (int i = 0; i < cases.size(); i++) {
      long seed = BASE_SEED * 31 + i;
      check(cases.get(i), seed, "case " + i + " seed " + seed + " " + cases.get(i));
    }
  }

  private static void check(ConvGeometry g, long seed, String context) {
    Random r = new Random(seed);
    try (Twin t = new Twin()) {
      Tensor[] x = t.upload(g.inputShape(), Rand.floats(r, g.inputShape().size()));
      Tensor[] w = t.upload(g.weightShape(), Rand.floats(r, g.weightShape().size()));
      Tensor[] b = g.params().bias() ? t.upload(g.biasShape(), Rand.floats(r, g.k())) : null;
      Tensor[] dy = t.upload(g.outputShape(), Rand.floats(r, g.outputShape().size()));
      Tensor[] y = t.output(g.outputShape());
      t.cpu.convForward(x[0], w[0], b == null ? null : b[0], y[0], g);
      t.cl.convForward(x[1], w[1], b == null ? null : b[1], y[1], g);
      t.assertClose("convForward " + context, y, Tolerance.CONV_FORWARD);
      for (ConvKernels.ForwardVariant v : ConvKernels.ForwardVariant.values()) {
        t.poison(y);
        t.cl.conv().forward(v, x[1], w[1], b == null ? null : b[1], y[1], g);
        t.assertClose("convForward " + v + " " + context, y, Tolerance.CONV_FORWARD);
      }

      Tensor[] dx = t.output(g.inputShape());
      t.cpu.convBackwardInput(dy[0], w[0], dx[0], g);
      t.cl.convBackwardInput(dy[1], w[1], dx[1], g);
      t.assertClose("convBackwardInput " + context, dx, Tolerance.CONV_BACKWARD_INPUT);
      for (ConvKernels.InputVariant v : ConvKernels.InputVariant.values()) {
        t.poison(dx);
        t.cl.conv().backwardInput(v, dy[1], w[1], dx[1], g);
        t.assertClose("convBackwardInput " + v + " " + context, dx, Tolerance.CONV_BACKWARD_INPUT);
      }

      Tensor[] dw = t.output(g.weightShape());
      t.cpu.convBackwardFilter(x[0], dy[0], dw[0], g);
      t.cl.convBackwardFilter(x[1], dy[1], dw[1], g);
      t.assertClose("convBackwardFilter " + context, dw, Tolerance.CONV_BACKWARD_FILTER);
      for (ConvKernels.FilterVariant v : ConvKernels.FilterVariant.values()) {
        t.poison(dw);
        t.cl.conv().backwardFilter(v, x[1], dy[1], dw[1], g);
        t.assertClose(
            "convBackwardFilter " + v + " " + context, dw, Tolerance.CONV_BACKWARD_FILTER);
      }

      Tensor[] db = t.output(g.biasShape());
      t.cpu.biasBackward(dy[0], db[0]);
      t.cl.biasBackward(dy[1], db[1]);
      t.assertClose("biasBackward " + context, db, Tolerance.BIAS_BACKWARD);
    }
  }

  @Test
  void filterGradientIsBitIdenticalRunToRun() {
    ConvGeometry g =
        ConvGeometry.of(3, 4, 13, 11, 6, org.convcl.tensor.ConvParams.of(3).withPadding(1));
    Random r = new Random(7);
    ClOps cl = ClTestSupport.ops();
    try (Tensor x = cl.upload(g.inputShape(), Rand.floats(r, g.inputShape().size()));
        Tensor dy = cl.upload(g.outputShape(), Rand.floats(r, g.outputShape().size()));
        Tensor dw = cl.allocate(g.weightShape(), org.convcl.tensor.DType.FLOAT32)) {
      cl.convBackwardFilter(x, dy, dw, g);
      float[] first = cl.read(dw);
      for (int run = 0; run < 3; run++) {
        cl.fill(dw, Float.NaN);
        cl.convBackwardFilter(x, dy, dw, g);
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, cl.read(dw), "run " + run);
      }
    }
  }
}
