package org.convcl.grad;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ref.RefDense;
import org.convcl.tensor.Shape;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of the dense layer's input, weight and bias gradients, {@code L =
 * <dense(x; W, b), y>}, against the double forward of {@link RefDense}. L is linear in each
 * argument (no truncation error); every gradient entry sums at most 40 float products of magnitude
 * <= 1, so atol 1e-5 bounds CpuOps' rounding.
 */
class DenseGradientCheckTest extends CpuOpCheck {

  static LongStream seeds() {
    return LongStream.range(0, 10);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void gradientsMatchCentralDifferences(long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed);
      int n = Rand.between(r, 1, 5);
      int f = Rand.between(r, 1, 40);
      int o = Rand.between(r, 1, 12);
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", N=" + n + " F=" + f + " O=" + o;
      float[] x = Rand.floats(r, n * f);
      float[] w = Rand.floats(r, o * f);
      float[] b = Rand.floats(r, o);
      float[] y = Rand.floats(r, n * o);
      double[] xd = Numeric.toDouble(x);
      double[] wd = Numeric.toDouble(w);
      double[] bd = Numeric.toDouble(b);
      double[] yd = Numeric.toDouble(y);

      ArrayDiff.assertClose(
          "forward " + ctx,
          Shape.of(n, o),
          RefDense.forward(xd, wd, bd, n, f),
          cpu.denseForward(x, w, b, n, f, o),
          1e-5,
          1e-5);
      double[] gx =
          Numeric.centralDifference(v -> Numeric.dot(RefDense.forward(v, wd, bd, n, f), yd), xd, H);
      ArrayDiff.assertClose(
          "dL/dX " + ctx, Shape.of(n, f), gx, cpu.denseBackwardInput(y, w, n, f, o), 1e-5, 1e-5);
      double[] gw =
          Numeric.centralDifference(v -> Numeric.dot(RefDense.forward(xd, v, bd, n, f), yd), wd, H);
      ArrayDiff.assertClose(
          "dL/dW " + ctx, Shape.of(o, f), gw, cpu.denseBackwardWeights(x, y, n, f, o), 1e-5, 1e-5);
      double[] gb =
          Numeric.centralDifference(v -> Numeric.dot(RefDense.forward(xd, wd, v, n, f), yd), bd, H);
      ArrayDiff.assertClose(
          "dL/db " + ctx, Shape.of(o), gb, cpu.biasBackward(y, Shape.of(n, o)), 1e-5, 1e-5);
    }
  }
}
