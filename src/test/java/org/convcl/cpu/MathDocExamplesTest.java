package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.convcl.ops.Activation;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.CpuRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The numbers printed in docs/math.md, as literal expectations: if the doc's arithmetic or the code
 * drifts, this fails. (The symbolic form of the same examples is in CourseNotesExamplesTest.)
 *
 * <p>These examples trust no implementation, so they are what tests the reference backend (RefOps);
 * they run on it and on CpuOps.
 */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"ref", "cpu"})
class MathDocExamplesTest {
  private static final float[] X = {2, 3, 5, 7, 11, 13, 17, 19, 23};
  private static final float[] F = {1, -2, 3, 4};
  private static final float[] DO = {5, -6, 7, 8};
  private static final ConvGeometry G = ConvGeometry.of(1, 1, 3, 3, 1, ConvParams.of(2));
  private final CpuRunner cpu;

  MathDocExamplesTest(String backend) {
    cpu = CpuRunner.of(backend);
  }

  @AfterEach
  void close() {
    cpu.close();
  }

  @Test
  void section2ConvForward() {
    assertArrayEquals(new float[] {61, 78, 112, 134}, cpu.convForward(X, F, null, G));
  }

  @Test
  void section3BiasGradient() {
    assertArrayEquals(new float[] {14}, cpu.biasBackward(DO, G.outputShape()));
  }

  @Test
  void section4FilterGradient() {
    assertArrayEquals(new float[] {129, 166, 240, 294}, cpu.convBackwardFilter(X, DO, G));
  }

  @Test
  void section5InputGradient() {
    assertArrayEquals(
        new float[] {5, -16, 12, 22, -4, -40, 21, 52, 32}, cpu.convBackwardInput(DO, F, G));
  }

  @Test
  void section5StrideExampleLeavesTheUnreadCellZero() {
    // H = 5, R = 2, stride 2, dL/dO = [a, b] = [2, 3], F = [F1, F2] = [5, 7]:
    // [F1 a, F2 a, F1 b, F2 b, 0] = [10, 14, 15, 21, 0]
    ConvGeometry g =
        ConvGeometry.of(1, 1, 1, 5, 1, ConvParams.of(1).withKernel(1, 2).withStride(2));
    assertArrayEquals(
        new float[] {10, 14, 15, 21, 0},
        cpu.convBackwardInput(new float[] {2, 3}, new float[] {5, 7}, g));
  }

  @Test
  void section9Dense() {
    assertArrayEquals(
        new float[] {16},
        cpu.denseForward(new float[] {1, 2}, new float[] {3, 4}, new float[] {5}, 1, 2, 1));
    assertArrayEquals(
        new float[] {6, 8}, cpu.denseBackwardInput(new float[] {2}, new float[] {3, 4}, 1, 2, 1));
    assertArrayEquals(
        new float[] {2, 4}, cpu.denseBackwardWeights(new float[] {1, 2}, new float[] {2}, 1, 2, 1));
  }

  @Test
  void section8SigmoidSlopeAtZero() {
    Shape s = Shape.of(1);
    Tensor x = cpu.upload(s, new float[] {0});
    Tensor y = cpu.poisoned(s);
    cpu.ops.activationForward(Activation.SIGMOID, x, y);
    Tensor gradInput = cpu.poisoned(s);
    cpu.ops.activationBackward(Activation.SIGMOID, x, y, cpu.upload(s, new float[] {1}), gradInput);
    assertArrayEquals(new float[] {0.5f}, cpu.ops.read(y));
    assertArrayEquals(new float[] {0.25f}, cpu.ops.read(gradInput));
  }
}
