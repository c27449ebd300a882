package org.convcl.grad;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ref.RefPool;
import org.convcl.tensor.PoolGeometry;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.convcl.testutil.RandomGeometry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of max and average pooling's backward passes against the naive double
 * forward of {@link RefPool}: {@code L = <pool(x), y>}.
 *
 * <p>Max pooling is piecewise linear: with input values at least 0.01 apart and h = 1e-6 no step
 * changes a window's maximum, so the difference quotient is exact up to ~1e-9 rounding. Average
 * pooling is linear. Both gradients are sums of at most 36 float terms of magnitude <= 1, so an
 * absolute 1e-5 bounds CpuOps' rounding.
 */
class PoolGradientCheckTest extends CpuOpCheck {

  static LongStream seeds() {
    return LongStream.range(0, 20);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void maxPoolGradient(long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed);
      PoolGeometry g = RandomGeometry.pool(r, 4, 7);
      String ctx = cpu.ops.name() + ", " + "max pool, seed " + seed + ", " + g;
      // distinct, well separated values: no near-ties that a finite-difference step could flip
      float[] x = Numeric.distinct(r, g.inputShape().size(), 0.01f);
      float[] y = Rand.floats(r, g.outputShape().size());
      double[] xd = Numeric.toDouble(x);
      double[] yd = Numeric.toDouble(y);

      CpuRunner.MaxPool fwd = cpu.maxPoolForward(x, g);
      ArrayDiff.assertClose(
          "forward " + ctx,
          g.outputShape(),
          RefPool.maxForward(xd, g).output(),
          fwd.output(),
          0,
          0);
      double[] gx =
          Numeric.centralDifference(v -> Numeric.dot(RefPool.maxForward(v, g).output(), yd), xd, H);
      ArrayDiff.assertClose(
          "dL/dX " + ctx, g.inputShape(), gx, cpu.maxPoolBackward(y, fwd.argmax(), g), 1e-5, 1e-5);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void avgPoolGradient(long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed);
      PoolGeometry g = RandomGeometry.pool(r, 4, 7);
      // both divisor rules on every geometry
      for (boolean includePad : new boolean[] {true, false}) {
        PoolGeometry gi =
            PoolGeometry.of(g.n(), g.c(), g.h(), g.w(), g.params().withCountIncludePad(includePad));
        String ctx = cpu.ops.name() + ", " + "avg pool, seed " + seed + ", " + gi;
        float[] x = Rand.floats(r, gi.inputShape().size());
        float[] y = Rand.floats(r, gi.outputShape().size());
        double[] xd = Numeric.toDouble(x);
        double[] yd = Numeric.toDouble(y);
        ArrayDiff.assertClose(
            "forward " + ctx,
            gi.outputShape(),
            RefPool.avgForward(xd, gi),
            cpu.avgPoolForward(x, gi),
            1e-6,
            1e-6);
        double[] gx =
            Numeric.centralDifference(v -> Numeric.dot(RefPool.avgForward(v, gi), yd), xd, H);
        ArrayDiff.assertClose(
            "dL/dX " + ctx, gi.inputShape(), gx, cpu.avgPoolBackward(y, gi), 1e-5, 1e-5);
      }
    }
  }
}
