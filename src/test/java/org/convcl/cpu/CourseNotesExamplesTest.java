package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.testutil.CpuRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worked examples of the course notes (see docs/math.md), as literal known answers. All values
 * are small integers or exact binary fractions, so every float result is exact and compared with
 * {@code assertArrayEquals} without tolerance.
 *
 * <p>These examples trust no implementation, so they are what tests the reference backend (RefOps);
 * they run on it and on CpuOps.
 */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"ref", "cpu"})
class CourseNotesExamplesTest {
  private final CpuRunner cpu;

  CourseNotesExamplesTest(String backend) {
    cpu = CpuRunner.of(backend);
  }

  /** The notes' 4x4 input, used by both the max and the average f=2 s=2 examples. */
  private static final float[] X4 = {
    1, 3, 2, 1, //
    2, 9, 1, 1, //
    1, 3, 2, 3, //
    5, 6, 1, 2
  };

  /** The notes' 5x5 input of the f=3 s=1 max-pooling example. */
  private static final float[] X5 = {
    1, 3, 2, 1, 3, //
    2, 9, 1, 1, 5, //
    1, 3, 2, 3, 2, //
    8, 3, 5, 1, 0, //
    5, 6, 1, 2, 9
  };

  @AfterEach
  void close() {
    cpu.close();
  }

  @Test
  void maxPool4x4F2S2() {
    PoolGeometry g = PoolGeometry.of(1, 1, 4, 4, PoolParams.of(2, 2));
    CpuRunner.MaxPool r = cpu.maxPoolForward(X4, g);
    assertArrayEquals(new float[] {9, 2, 6, 3}, r.output());
    // 9 at (1,1), 2 at (0,2), 6 at (3,1), 3 at (2,3); positions are ih*4 + iw
    assertArrayEquals(new int[] {5, 2, 13, 11}, r.argmax());
  }

  @Test
  void maxPool4x4UpsampleRoutesEachGradientToItsMaximum() {
    PoolGeometry g = PoolGeometry.of(1, 1, 4, 4, PoolParams.of(2, 2));
    int[] argmax = cpu.maxPoolForward(X4, g).argmax();
    float[] gradInput = cpu.maxPoolBackward(new float[] {10, 20, 30, 40}, argmax, g);
    float[] expected = {
      0, 0, 20, 0, //
      0, 10, 0, 0, //
      0, 0, 0, 40, //
      0, 30, 0, 0
    };
    assertArrayEquals(expected, gradInput);
  }

  @Test
  void maxPool5x5F3S1() {
    PoolGeometry g = PoolGeometry.of(1, 1, 5, 5, PoolParams.of(3, 1));
    CpuRunner.MaxPool r = cpu.maxPoolForward(X5, g);
    assertArrayEquals(new float[] {9, 9, 5, 9, 9, 5, 8, 6, 9}, r.output());
    // The 9 at (1,1) = 6 wins four windows. The window at output (1,2) (rows 1-3, cols 2-4) holds
    // two 5s, at (1,4) = 9 and at (3,2) = 17: the first in row-major window order, 9, wins.
    // 8 at (3,0) = 15, 6 at (4,1) = 21, 9 at (4,4) = 24.
    assertArrayEquals(new int[] {6, 6, 9, 6, 6, 9, 15, 21, 24}, r.argmax());
  }

  @Test
  void maxPool5x5OverlappingWindowsAccumulateAtTheNine() {
    PoolGeometry g = PoolGeometry.of(1, 1, 5, 5, PoolParams.of(3, 1));
    int[] argmax = cpu.maxPoolForward(X5, g).argmax();
    // powers of two: every sum below identifies exactly which windows contributed
    float[] gradOutput = {1, 2, 4, 8, 16, 32, 64, 128, 256};
    float[] gradInput = cpu.maxPoolBackward(gradOutput, argmax, g);
    float[] expected = new float[25];
    expected[6] = 1 + 2 + 8 + 16; // the 9 at (1,1), selected by four overlapping windows
    expected[9] = 4 + 32; // the first 5, at (1,4); the tied 5 at (3,2) gets nothing
    expected[15] = 64;
    expected[21] = 128;
    expected[24] = 256;
    assertArrayEquals(expected, gradInput);
  }

  @Test
  void avgPool4x4F2S2() {
    PoolGeometry g = PoolGeometry.of(1, 1, 4, 4, PoolParams.of(2, 2));
    // The slides print 4 for the bottom-left window, but (1 + 3 + 5 + 6) / 4 = 3.75: we assert the
    // true value. Top row: (1+3+2+9)/4 = 3.75, (2+1+1+1)/4 = 1.25; bottom right (2+3+1+2)/4 = 2.
    assertArrayEquals(new float[] {3.75f, 1.25f, 3.75f, 2}, cpu.avgPoolForward(X4, g));
  }

  @Test
  void avgPool4x4BackwardSpreadsAQuarterOverEachWindow() {
    PoolGeometry g = PoolGeometry.of(1, 1, 4, 4, PoolParams.of(2, 2));
    float[] expected = {
      1, 1, 2, 2, //
      1, 1, 2, 2, //
      3, 3, 4, 4, //
      3, 3, 4, 4
    };
    assertArrayEquals(expected, cpu.avgPoolBackward(new float[] {4, 8, 12, 16}, g));
  }

  // The notes' 3x3 input X with a 2x2 filter F: O is 2x2, indices 1-based as in the notes.
  private static final float X11 = 2, X12 = 3, X13 = 5;
  private static final float X21 = 7, X22 = 11, X23 = 13;
  private static final float X31 = 17, X32 = 19, X33 = 23;
  private static final float F11 = 1, F12 = -2, F21 = 3, F22 = 4;
  private static final float D11 = 5, D12 = -6, D21 = 7, D22 = 8; // dL/dO
  private static final float[] X = {X11, X12, X13, X21, X22, X23, X31, X32, X33};
  private static final float[] F = {F11, F12, F21, F22};
  private static final float[] DO = {D11, D12, D21, D22};
  private static final ConvGeometry G = ConvGeometry.of(1, 1, 3, 3, 1, ConvParams.of(2));

  @Test
  void conv3x3By2x2Forward() {
    float[] expected = {
      X11 * F11 + X12 * F12 + X21 * F21 + X22 * F22,
      X12 * F11 + X13 * F12 + X22 * F21 + X23 * F22,
      X21 * F11 + X22 * F12 + X31 * F21 + X32 * F22,
      X22 * F11 + X23 * F12 + X32 * F21 + X33 * F22
    };
    assertArrayEquals(expected, cpu.convForward(X, F, null, G));
  }

  @Test
  void conv3x3By2x2FilterGradientIsTheCorrelationOfXWithDlDo() {
    float[] expected = {
      X11 * D11 + X12 * D12 + X21 * D21 + X22 * D22, // dL/dF11
      X12 * D11 + X13 * D12 + X22 * D21 + X23 * D22, // dL/dF12
      X21 * D11 + X22 * D12 + X31 * D21 + X32 * D22, // dL/dF21
      X22 * D11 + X23 * D12 + X32 * D21 + X33 * D22 // dL/dF22
    };
    assertArrayEquals(expected, cpu.convBackwardFilter(X, DO, G));
  }

  @Test
  void conv3x3By2x2InputGradientIsTheFullConvolutionWithTheRotatedFilter() {
    float[] expected = {
      F11 * D11, // dL/dX11
      F12 * D11 + F11 * D12, // dL/dX12
      F12 * D12, // dL/dX13
      F21 * D11 + F11 * D21, // dL/dX21
      F22 * D11 + F21 * D12 + F12 * D21 + F11 * D22, // dL/dX22
      F22 * D12 + F12 * D22, // dL/dX23
      F21 * D21, // dL/dX31
      F22 * D21 + F21 * D22, // dL/dX32
      F22 * D22 // dL/dX33
    };
    assertArrayEquals(expected, cpu.convBackwardInput(DO, F, G));
  }

  @Test
  void conv3x3By2x2BiasGradientSumsDlDo() {
    float[] dO = {D11, D12, D21, D22};
    assertArrayEquals(new float[] {D11 + D12 + D21 + D22}, cpu.biasBackward(dO, G.outputShape()));
  }
}
