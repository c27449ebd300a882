package org.convcl.grad;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ref.RefLoss;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference check of the fused softmax-cross-entropy gradient: {@code L = scale * sum_n
 * loss_n} evaluated in double by {@link RefLoss#softmaxCrossEntropy}, differentiated by central
 * differences (truncation h^2 |L'''| ~ 1e-12), against CpuOps' softmaxCrossEntropyBackward fed with
 * CpuOps' own probabilities. Probabilities are in [0, 1], computed in float: atol 1e-6.
 */
class SoftmaxCrossEntropyGradientCheckTest extends CpuOpCheck {

  static LongStream seeds() {
    return LongStream.range(0, 10);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void gradientMatchesCentralDifferences(long seed) {
    for (CpuRunner cpu : backends) {
      Random r = new Random(seed);
      int n = Rand.between(r, 1, 6);
      int k = Rand.between(r, 2, 12);
      float scale = 1f / n;
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", N=" + n + " K=" + k;
      float[] z = new float[n * k];
      for (int i = 0; i < z.length; i++) {
        z[i] = 8 * r.nextFloat() - 4;
      }
      int[] labels = Rand.ints(r, n, k);
      double[] zd = Numeric.toDouble(z);

      Tensor logits = cpu.upload(Shape.of(n, k), z);
      Tensor lab = cpu.uploadInts(Shape.of(n), labels);
      Tensor probs = cpu.poisoned(Shape.of(n, k));
      Tensor losses = cpu.poisoned(Shape.of(n));
      cpu.ops.softmaxCrossEntropyForward(logits, lab, probs, losses);
      ArrayDiff.assertClose(
          "probs " + ctx, Shape.of(n, k), RefLoss.softmax(zd, n), cpu.ops.read(probs), 1e-7, 1e-5);
      ArrayDiff.assertClose(
          "losses " + ctx,
          Shape.of(n),
          RefLoss.softmaxCrossEntropy(zd, labels).losses(),
          cpu.ops.read(losses),
          1e-6,
          1e-5);

      Tensor grad = cpu.poisoned(Shape.of(n, k));
      cpu.ops.softmaxCrossEntropyBackward(probs, lab, scale, grad);
      double[] numeric =
          Numeric.centralDifference(
              v -> {
                double sum = 0;
                for (double l : RefLoss.softmaxCrossEntropy(v, labels).losses()) {
                  sum += l;
                }
                return scale * sum;
              },
              zd,
              H);
      ArrayDiff.assertClose(
          "dL/dz " + ctx, Shape.of(n, k), numeric, cpu.ops.read(grad), 1e-6, 1e-5);
    }
  }
}
