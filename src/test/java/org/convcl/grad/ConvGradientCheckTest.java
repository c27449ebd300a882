package org.convcl.grad;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ref.RefConv;
import org.convcl.tensor.ConvGeometry;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.convcl.testutil.RandomGeometry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of the three convolution gradients, trusting nothing of CpuOps: the loss
 * {@code L = <conv(x; w, b), y>} is evaluated with the naive double forward of {@link RefConv}
 * (first shown equal to CpuOps' forward), differentiated numerically by central differences, and
 * compared with CpuOps' convBackwardInput, convBackwardFilter and biasBackward.
 *
 * <p>Tolerance: L is linear in each of x, w, b, so central differences have no truncation error;
 * their rounding error is about 1e-16 |L| / h = 1e-8. What remains is CpuOps' float rounding: a
 * gradient entry is a sum of m <= 300 products, off by typically sqrt(m) u S (u = 6e-8, S the sum
 * of |products|), so 1e-5 S (S estimated by the naive op on absolute values) is a safe bound.
 *
 * <p>What this test is and is not: because L is linear in x, in w and in b, the central difference
 * is exact by construction, so this is in effect a differential test of the backward ops against a
 * naive loop, not a test of finite differences under curvature. These tolerances were never
 * validated against second-order error; the non-linear finite-difference load is carried by {@code
 * nn/LayerGradientTest} and the activation, batch-norm and softmax checks of this package.
 */
class ConvGradientCheckTest extends CpuOpCheck {

  static LongStream seeds() {
    return LongStream.range(0, 25);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void gradientsMatchCentralDifferences(long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed);
      ConvGeometry g = RandomGeometry.conv(r, 3, 6);
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", " + g;
      float[] x = Rand.floats(r, g.inputShape().size());
      float[] w = Rand.floats(r, g.weightShape().size());
      float[] b = Rand.floats(r, g.k());
      float[] y = Rand.floats(r, g.outputShape().size());
      double[] xd = Numeric.toDouble(x);
      double[] wd = Numeric.toDouble(w);
      double[] bd = Numeric.toDouble(b);
      double[] yd = Numeric.toDouble(y);

      double scale = Numeric.maxAbs(RefConv.forward(Numeric.abs(xd), Numeric.abs(wd), null, g));
      ArrayDiff.assertClose(
          "forward " + ctx,
          g.outputShape(),
          RefConv.forward(xd, wd, bd, g),
          cpu.convForward(x, w, b, g),
          tol(scale + 1),
          1e-6);

      double[] gx =
          Numeric.centralDifference(v -> Numeric.dot(RefConv.forward(v, wd, bd, g), yd), xd, H);
      scale = Numeric.maxAbs(RefConv.backwardInput(Numeric.abs(yd), Numeric.abs(wd), g));
      ArrayDiff.assertClose(
          "dL/dX " + ctx, g.inputShape(), gx, cpu.convBackwardInput(y, w, g), tol(scale), 1e-5);

      double[] gw =
          Numeric.centralDifference(v -> Numeric.dot(RefConv.forward(xd, v, bd, g), yd), wd, H);
      scale = Numeric.maxAbs(RefConv.backwardFilter(Numeric.abs(xd), Numeric.abs(yd), g));
      ArrayDiff.assertClose(
          "dL/dF " + ctx, g.weightShape(), gw, cpu.convBackwardFilter(x, y, g), tol(scale), 1e-5);

      double[] gb =
          Numeric.centralDifference(v -> Numeric.dot(RefConv.forward(xd, wd, v, g), yd), bd, H);
      ArrayDiff.assertClose(
          "dL/db " + ctx,
          g.biasShape(),
          gb,
          cpu.biasBackward(y, g.outputShape()),
          tol(g.n() * g.outH() * g.outW()),
          1e-5);
    }
  }

  private static double tol(double scale) {
    return 1e-5 * Math.max(1, scale);
  }
}
