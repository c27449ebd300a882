package org.convcl.grad;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ref.RefConv;
import org.convcl.ref.RefDense;
import org.convcl.ref.RefPool;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.PoolGeometry;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.convcl.testutil.RandomGeometry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adjoint identities, checked on CpuOps alone: a backward op is the transpose of its forward op, so
 * for every x, w, y: {@code <conv(x; w), y> = <x, convBackwardInput(y; w)> = <w,
 * convBackwardFilter(x, y)>}, and likewise for pooling and dense layers. These need no reference
 * implementation and catch any index mix-up between a forward and its backward pass.
 *
 * <p>The inner products are summed in double. Each side is a rearrangement of the same products
 * x*w*y; CpuOps rounds the partial sums in float, so each side errs by at most about m u S, with S
 * the sum of |x w y| over all products, u = 6e-8 and m <= 150 terms per output: 1e-5 S.
 */
class AdjointTest extends CpuOpCheck {

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  @ParameterizedTest(name = "conv seed {0}")
  @MethodSource("seeds")
  void convBackwardPassesAreTheTransposesOfTheForward(long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed + 5000);
      ConvGeometry g = RandomGeometry.conv(r, 7).withBatch(1 + (int) (seed % 3));
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", " + g;
      float[] x = Rand.floats(r, g.inputShape().size());
      float[] w = Rand.floats(r, g.weightShape().size());
      float[] y = Rand.floats(r, g.outputShape().size());
      double s =
          Numeric.dot(
              RefConv.forward(
                  Numeric.abs(Numeric.toDouble(x)), Numeric.abs(Numeric.toDouble(w)), null, g),
              Numeric.abs(Numeric.toDouble(y)));

      double forward = Numeric.dot(cpu.convForward(x, w, null, g), y);
      double viaInput = Numeric.dot(x, cpu.convBackwardInput(y, w, g));
      double viaFilter = Numeric.dot(w, cpu.convBackwardFilter(x, y, g));
      assertAdjoint("<conv(x;w),y> vs <x,convBackwardInput(y;w)>, " + ctx, forward, viaInput, s);
      assertAdjoint("<conv(x;w),y> vs <w,convBackwardFilter(x,y)>, " + ctx, forward, viaFilter, s);
    }
  }

  @ParameterizedTest(name = "pool seed {0}")
  @MethodSource("seeds")
  void maxPoolUpsampleIsTheTransposeOfTheSelection(long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed + 6000);
      PoolGeometry g = RandomGeometry.pool(r, 6);
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", " + g;
      // fix the argmax with one input, then check the linear map "select by that argmax" on another
      int[] argmax = cpu.maxPoolForward(Rand.floats(r, g.inputShape().size()), g).argmax();
      float[] x = Rand.floats(r, g.inputShape().size());
      float[] y = Rand.floats(r, g.outputShape().size());
      int plane = g.h() * g.w();
      int outPlane = g.outH() * g.outW();
      float[] selected = new float[y.length];
      for (int o = 0; o < y.length; o++) {
        selected[o] = x[(o / outPlane) * plane + argmax[o]];
      }
      double lhs = Numeric.dot(selected, y);
      double rhs = Numeric.dot(x, cpu.maxPoolBackward(y, argmax, g));
      assertAdjoint(
          "<select(x),y> vs <x,upsample(y)>, " + ctx, lhs, rhs, Numeric.dotAbs(selected, y));
    }
  }

  @ParameterizedTest(name = "pool seed {0}")
  @MethodSource("seeds")
  void avgPoolBackwardIsTheTransposeOfTheForward(long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed + 7000);
      PoolGeometry g = RandomGeometry.pool(r, 6);
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", " + g;
      float[] x = Rand.floats(r, g.inputShape().size());
      float[] y = Rand.floats(r, g.outputShape().size());
      double s =
          Numeric.dot(
              RefPool.avgForward(Numeric.abs(Numeric.toDouble(x)), g),
              Numeric.abs(Numeric.toDouble(y)));
      double lhs = Numeric.dot(cpu.avgPoolForward(x, g), y);
      double rhs = Numeric.dot(x, cpu.avgPoolBackward(y, g));
      assertAdjoint("<avg(x),y> vs <x,avgBackward(y)>, " + ctx, lhs, rhs, s);
    }
  }

  @ParameterizedTest(name = "dense seed {0}")
  @MethodSource("seeds")
  void denseBackwardPassesAreTheTransposesOfTheForward(long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed + 8000);
      int n = Rand.between(r, 1, 6);
      int f = Rand.between(r, 1, 50);
      int o = Rand.between(r, 1, 20);
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", N=" + n + " F=" + f + " O=" + o;
      float[] x = Rand.floats(r, n * f);
      float[] w = Rand.floats(r, o * f);
      float[] y = Rand.floats(r, n * o);
      double s =
          Numeric.dot(
              RefDense.forward(
                  Numeric.abs(Numeric.toDouble(x)), Numeric.abs(Numeric.toDouble(w)), null, n, f),
              Numeric.abs(Numeric.toDouble(y)));
      double forward = Numeric.dot(cpu.denseForward(x, w, null, n, f, o), y);
      double viaInput = Numeric.dot(x, cpu.denseBackwardInput(y, w, n, f, o));
      double viaWeights = Numeric.dot(w, cpu.denseBackwardWeights(x, y, n, f, o));
      assertAdjoint("<dense(x;W),y> vs <x,denseBackwardInput(y;W)>, " + ctx, forward, viaInput, s);
      assertAdjoint(
          "<dense(x;W),y> vs <W,denseBackwardWeights(x,y)>, " + ctx, forward, viaWeights, s);
    }
  }

  /** {@code |a - b| <= 1e-5 * sumAbs}: see the class comment for the bound. */
  static void assertAdjoint(String ctx, double a, double b, double sumAbs) {
    double tol = 1e-5 * sumAbs + 1e-12;
    assertTrue(
        Math.abs(a - b) <= tol,
        () ->
            ctx
                + ": "
                + a
                + " != "
                + b
                + " (difference "
                + Math.abs(a - b)
                + ", allowed "
                + tol
                + ")");
  }
}
