package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known answers for argmaxRows, sum, and the softmax cross-entropy at extreme logits.
 *
 * <p>Known answers and properties that trust no implementation: run on RefOps and on CpuOps.
 */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"ref", "cpu"})
class LossAndReductionTest {
  private final CpuRunner cpu;

  LossAndReductionTest(String backend) {
    cpu = CpuRunner.of(backend);
  }

  @AfterEach
  void close() {
    cpu.close();
  }

  @Test
  void argmaxRowsTakesTheFirstMaximum() {
    float[] x = {
      1,
      3,
      3, //
      5,
      5,
      5, //
      -1,
      -2,
      -1, //
      Float.NEGATIVE_INFINITY,
      -7,
      -7, //
      0,
      0,
      2
    };
    Tensor out = cpu.poisonedInts(Shape.of(5));
    cpu.ops.argmaxRows(cpu.upload(Shape.of(5, 3), x), out);
    assertArrayEquals(new int[] {1, 0, 0, 1, 2}, cpu.ops.readInts(out));
  }

  @Test
  void sumAccumulatesInDouble() {
    // A million copies of 0.1f: in double the sum is 1e6 * 0.100000001490116 = 100000.0014901;
    // a float accumulator would drift by hundreds.
    float[] x = new float[1_000_000];
    Arrays.fill(x, 0.1f);
    double sum = cpu.ops.sum(cpu.upload(Shape.of(1000, 1000), x));
    assertEquals(1e6 * (double) 0.1f, sum, 1e-6);
  }

  @Test
  void sumOfRandomValues() {
    float[] x = Rand.floats(new Random(3), 12345);
    double expected = 0;
    for (float v : x) {
      expected += v;
    }
    assertEquals(expected, cpu.ops.sum(cpu.upload(Shape.of(12345), x)), 1e-9);
  }

  private float[][] softmax(float[] z, int[] labels) {
    int n = labels.length;
    Shape s = Shape.of(n, z.length / n);
    Tensor probs = cpu.poisoned(s);
    Tensor losses = cpu.poisoned(Shape.of(n));
    cpu.ops.softmaxCrossEntropyForward(
        cpu.upload(s, z), cpu.uploadInts(Shape.of(n), labels), probs, losses);
    return new float[][] {cpu.ops.read(probs), cpu.ops.read(losses)};
  }

  @Test
  void softmaxIsStableForHugeLogits() {
    // Row 1: shifting by the max gives softmax(0, 1, 2) = [e^-2, e^-1, 1] / (1 + e^-1 + e^-2)
    // = [0.0900306, 0.2447285, 0.6652410]; loss for label 2 = log(1 + e^-1 + e^-2) = 0.4076059.
    // Row 2: exp(-2000) and exp(-1000) underflow to 0: probs [0, 0, 1]; the loss for label 0 is
    // log(1) + 1000 - (-1000) = 2000, finite.
    float[][] r = softmax(new float[] {1000, 1001, 1002, -1000, 0, 1000}, new int[] {2, 0});
    ArrayDiff.assertClose(
        "probs",
        Shape.of(2, 3),
        new double[] {0.0900306, 0.2447285, 0.6652410, 0, 0, 1},
        r[0],
        1e-6,
        1e-5);
    ArrayDiff.assertClose("losses", Shape.of(2), new double[] {0.4076059, 2000}, r[1], 1e-5, 1e-6);
  }

  @Test
  void outOfRangeLabelGivesNaNLossOnlyForItsRow() {
    // 4 rows of 2 classes
    float[][] r = softmax(new float[] {0, 0, 0, 0, 0, 0, 0, 0}, new int[] {2, -1, 1, 0});
    assertTrue(Float.isNaN(r[1][0]), "label 2 of 2 classes: loss " + r[1][0]);
    assertTrue(Float.isNaN(r[1][1]), "label -1: loss " + r[1][1]);
    // uniform over 2 classes: log 2
    assertEquals((float) Math.log(2), r[1][2], 1e-6f);
    assertEquals((float) Math.log(2), r[1][3], 1e-6f);
  }

  @Test
  void softmaxForwardKnownAnswerAndAgreesWithTheFusedOp() {
    // Row 1: softmax(1, 2, 3) = [e^-2, e^-1, 1] / (1 + e^-1 + e^-2) = [0.0900306, 0.2447285,
    // 0.6652410]. Row 2: without the max shift exp(1000) overflows; with it, [1, 1, e^-1000] / 2
    // = [0.5, 0.5, 0] (e^-1000 underflows to 0).
    float[] z = {1, 2, 3, 1000, 1000, 0};
    Shape s = Shape.of(2, 3);
    Tensor probs = cpu.poisoned(s);
    cpu.ops.softmaxForward(cpu.upload(s, z), probs);
    float[] p = cpu.ops.read(probs);
    ArrayDiff.assertClose(
        "softmaxForward",
        s,
        new double[] {0.0900306, 0.2447285, 0.6652410, 0.5, 0.5, 0},
        p,
        1e-7,
        1e-6);
    // one row code serves both ops: the probabilities are bit-equal
    assertArrayEquals(softmax(z, new int[] {0, 1})[0], p);
  }

  @Test
  void softmaxBackwardKnownAnswer() {
    // scale (p - onehot): 0.5 * ([0.2, 0.3, 0.5] - [0, 1, 0]) = [0.1, -0.35, 0.25]
    Shape s = Shape.of(1, 3);
    Tensor grad = cpu.poisoned(s);
    cpu.ops.softmaxCrossEntropyBackward(
        cpu.upload(s, new float[] {0.2f, 0.3f, 0.5f}),
        cpu.uploadInts(Shape.of(1), new int[] {1}),
        0.5f,
        grad);
    ArrayDiff.assertClose(
        "gradLogits", s, new double[] {0.1, -0.35, 0.25}, cpu.ops.read(grad), 1e-7, 1e-6);
  }
}
