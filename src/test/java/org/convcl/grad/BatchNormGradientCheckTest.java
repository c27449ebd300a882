package org.convcl.grad;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.ref.RefNorm;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference checks of training-mode batch normalisation's three gradients (input, gamma,
 * beta): {@code L = <BN(x; gamma, beta), y>} evaluated in double by {@link
 * RefNorm#trainingForward}, where the batch mean and variance depend on x, so the input gradient
 * includes their paths.
 *
 * <p>Central differences on this smooth function err by h^2 |L'''| ~ 1e-11. CpuOps' input gradient
 * {@code gamma invStd / M (M dy - sum dy - xhat sum dy xhat)} cancels large sums of M <= 150 float
 * terms of magnitude <= ~3, then divides by M: a float error of about u M * 3 / M ~ 1e-6 relative
 * to the entries' O(1) size, hence atol 2e-5, rtol 1e-4.
 */
class BatchNormGradientCheckTest extends CpuOpCheck {
  private static final BatchNormConfig CONFIG = BatchNormConfig.DEFAULT;

  static LongStream seeds() {
    return LongStream.range(0, 12);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void gradientsMatchCentralDifferences(long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed);
      int n = Rand.between(r, 1, 3);
      int c = Rand.between(r, 1, 4);
      // even seeds: an image batch [N][C][H][W]; odd seeds: dense activations [N][C]
      Shape shape =
          seed % 2 == 0
              ? Shape.nchw(n, c, Rand.between(r, 1, 5), Rand.between(r, 2, 5))
              : Shape.of(n + 1, c);
      int batch = shape.dim(0);
      int plane = shape.size() / (batch * c);
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", shape " + shape;
      float[] x = Rand.floats(r, shape.size());
      for (int i = 0; i < x.length; i++) {
        x[i] += (i / plane) % c - 1.5f; // a different mean per channel
      }
      float[] gamma = Rand.floats(r, c);
      float[] beta = Rand.floats(r, c);
      float[] y = Rand.floats(r, shape.size());
      double[] xd = Numeric.toDouble(x);
      double[] gd = Numeric.toDouble(gamma);
      double[] bd = Numeric.toDouble(beta);
      double[] yd = Numeric.toDouble(y);

      Shape cs = Shape.of(c);
      Tensor in = cpu.upload(shape, x);
      Tensor g = cpu.upload(cs, gamma);
      Tensor out = cpu.poisoned(shape);
      Tensor saveMean = cpu.poisoned(cs);
      Tensor saveInvStd = cpu.poisoned(cs);
      cpu.ops.batchNormForward(
          in,
          out,
          BatchNormTensors.forForward(
              g,
              cpu.upload(cs, beta),
              cpu.upload(cs, new float[c]),
              cpu.upload(cs, ones(c)),
              saveMean,
              saveInvStd),
          CONFIG,
          true);
      ArrayDiff.assertClose(
          "forward " + ctx, shape, batchNorm(xd, gd, bd, batch), cpu.ops.read(out), 1e-5, 1e-5);

      Tensor gradInput = cpu.poisoned(shape);
      Tensor gradGamma = cpu.poisoned(cs);
      Tensor gradBeta = cpu.poisoned(cs);
      cpu.ops.batchNormBackward(
          in,
          cpu.upload(shape, y),
          gradInput,
          BatchNormTensors.forBackward(g, saveMean, saveInvStd, gradGamma, gradBeta));

      double[] gx =
          Numeric.centralDifference(v -> Numeric.dot(batchNorm(v, gd, bd, batch), yd), xd, H);
      ArrayDiff.assertClose("dL/dX " + ctx, shape, gx, cpu.ops.read(gradInput), 2e-5, 1e-4);
      double[] gg =
          Numeric.centralDifference(v -> Numeric.dot(batchNorm(xd, v, bd, batch), yd), gd, H);
      ArrayDiff.assertClose("dL/dgamma " + ctx, cs, gg, cpu.ops.read(gradGamma), 2e-5, 1e-4);
      double[] gb =
          Numeric.centralDifference(v -> Numeric.dot(batchNorm(xd, gd, v, batch), yd), bd, H);
      ArrayDiff.assertClose("dL/dbeta " + ctx, cs, gb, cpu.ops.read(gradBeta), 2e-5, 1e-4);
    }
  }

  /** BN of x in double with its batch statistics (the running statistics are scratch). */
  private static double[] batchNorm(double[] x, double[] gamma, double[] beta, int n) {
    int c = gamma.length;
    return RefNorm.trainingForward(x, gamma, beta, new double[c], new double[c], CONFIG, n)
        .output();
  }

  private static float[] ones(int c) {
    float[] a = new float[c];
    java.util.Arrays.fill(a, 1);
    return a;
  }
}
