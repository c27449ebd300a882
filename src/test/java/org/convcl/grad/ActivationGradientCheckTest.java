package org.convcl.grad;

import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.convcl.ops.Activation;
import org.convcl.ref.RefElementwise;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of every activation's backward pass, {@code L = <f(x), y>}, against the
 * double-precision functions of {@link RefElementwise}.
 *
 * <p>Inputs avoid |x| < 0.05, where ReLU's kink would make a central difference straddle two slopes
 * (h = 1e-6 is far smaller, so this only needs |x| > h; the margin keeps float inputs clear).
 * Truncation error for the smooth ones is h^2 |f'''| ~ 1e-12; CpuOps computes f' in float (e.g. 1 -
 * y^2 from a float y), good to a few ulps: atol 1e-6, rtol 1e-5.
 */
class ActivationGradientCheckTest extends CpuOpCheck {

  static Stream<Arguments> cases() {
    Activation[] fs = {
      Activation.RELU, Activation.leakyRelu(0.1f), Activation.TANH, Activation.SIGMOID
    };
    return Stream.of(fs)
        .flatMap(f -> LongStream.range(0, 6).mapToObj(seed -> Arguments.of(f, seed)));
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("cases")
  void backwardMatchesCentralDifferences(Activation f, long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed);
      Shape shape = Shape.nchw(Rand.between(r, 1, 3), Rand.between(r, 1, 3), 5, 7);
      String ctx = cpu.ops.name() + ", " + f + ", seed " + seed + ", shape " + shape;
      float[] x = new float[shape.size()];
      for (int i = 0; i < x.length; i++) {
        do {
          x[i] = 6 * r.nextFloat() - 3;
        } while (Math.abs(x[i]) < 0.05f);
      }
      float[] y = Rand.floats(r, x.length);
      double[] yd = Numeric.toDouble(y);

      Tensor in = cpu.upload(shape, x);
      Tensor out = cpu.poisoned(shape);
      cpu.ops.activationForward(f, in, out);
      ArrayDiff.assertClose(
          "forward " + ctx,
          shape,
          RefElementwise.forward(f, Numeric.toDouble(x)),
          cpu.ops.read(out),
          1e-7,
          1e-6);

      Tensor gradInput = cpu.poisoned(shape);
      cpu.ops.activationBackward(f, in, out, cpu.upload(shape, y), gradInput);
      double[] numeric =
          Numeric.centralDifference(
              v -> Numeric.dot(RefElementwise.forward(f, v), yd), Numeric.toDouble(x), H);
      ArrayDiff.assertClose("dL/dX " + ctx, shape, numeric, cpu.ops.read(gradInput), 1e-6, 1e-5);
    }
  }
}
