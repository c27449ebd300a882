package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known answers that pin the convolution without any reference implementation: each expected value
 * is written down by hand (integers, so float results are exact) or follows from an identity that
 * holds for every input (1x1 = matmul, identity filter).
 *
 * <p>These examples trust no implementation, so they are what tests the reference backend (RefOps);
 * they run on it and on CpuOps.
 */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"ref", "cpu"})
class ConvKnownAnswerTest {
  private final CpuRunner cpu;

  ConvKnownAnswerTest(String backend) {
    cpu = CpuRunner.of(backend);
  }

  @AfterEach
  void close() {
    cpu.close();
  }

  /** x[i][j] = 5i + j + 1 on a 5x5 plane: 1..25 in reading order. */
  private static float[] oneTo25() {
    float[] x = new float[25];
    for (int i = 0; i < 25; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  @Test
  void oneByOneConvolutionIsAChannelMatmul() {
    long seed = 11;
    Random r = new Random(seed);
    int n = 2, c = 5, k = 3, h = 3, w = 4;
    ConvGeometry g = ConvGeometry.of(n, c, h, w, k, ConvParams.of(1));
    float[] x = Rand.floats(r, n * c * h * w);
    float[] wt = Rand.floats(r, k * c);
    float[] b = Rand.floats(r, k);
    double[] expected = new double[n * k * h * w];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < k; o++) {
        for (int p = 0; p < h * w; p++) {
          double s = b[o];
          for (int ch = 0; ch < c; ch++) {
            s += (double) wt[o * c + ch] * x[(i * c + ch) * h * w + p];
          }
          expected[(i * k + o) * h * w + p] = s;
        }
      }
    }
    // 5 products of magnitude <= 1 plus a bias: float rounding stays below 1e-6
    ArrayDiff.assertClose(
        "1x1 conv, seed " + seed,
        g.outputShape(),
        expected,
        cpu.convForward(x, wt, b, g),
        1e-6,
        1e-6);
  }

  @Test
  void identityFilterReturnsTheInput() {
    Random r = new Random(12);
    ConvGeometry g = ConvGeometry.of(2, 3, 5, 4, 3, ConvParams.of(3).withPadding(1));
    float[] x = Rand.floats(r, g.inputShape().size());
    float[] wt = new float[g.weightShape().size()]; // [3][3][3][3]: 1 at the centre of k == c
    for (int k = 0; k < 3; k++) {
      wt[((k * 3 + k) * 3 + 1) * 3 + 1] = 1;
    }
    assertArrayEquals(x, cpu.convForward(x, wt, null, g));
  }

  @Test
  void handComputed3x3WithPadding1() {
    // [[1,2,3],[4,5,6],[7,8,9]] with a 3x3 filter of ones and padding 1: each output is the sum
    // of its 3x3 neighbourhood (zeros outside), plus the bias 0.5.
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    ConvGeometry g = ConvGeometry.of(1, 1, 3, 3, 1, ConvParams.of(3).withPadding(1));
    float[] expected = {
      1 + 2 + 4 + 5, 1 + 2 + 3 + 4 + 5 + 6, 2 + 3 + 5 + 6, // 12, 21, 16
      1 + 2 + 4 + 5 + 7 + 8, 45, 2 + 3 + 5 + 6 + 8 + 9, // 27, 45, 33
      4 + 5 + 7 + 8, 4 + 5 + 6 + 7 + 8 + 9, 5 + 6 + 8 + 9 // 24, 39, 28
    };
    for (int i = 0; i < 9; i++) {
      expected[i] += 0.5f;
    }
    assertArrayEquals(expected, cpu.convForward(x, ones, new float[] {0.5f}, g));
  }

  @Test
  void handComputedAsymmetricPaddingShiftsTheWindow() {
    // 1x3 input [1,2,3], kernel 1x2 [10, 1], padding left 1, right 0: windows [0,1] [1,2] [2,3]
    float[] x = {1, 2, 3};
    ConvGeometry g =
        ConvGeometry.of(
            1, 1, 1, 3, 1, ConvParams.of(1).withKernel(1, 2).withPadding(new Padding(0, 0, 1, 0)));
    assertArrayEquals(
        new float[] {0 * 10 + 1, 1 * 10 + 2, 2 * 10 + 3},
        cpu.convForward(x, new float[] {10, 1}, null, g));
  }

  @Test
  void stride2() {
    // 3x3 windows of ones over 1..25 at top-left (0,0), (0,2), (2,0), (2,2): each sum is 9 times
    // the window centre, which is 7, 9, 17, 19
    ConvGeometry g = ConvGeometry.of(1, 1, 5, 5, 1, ConvParams.of(3).withStride(2));
    float[] ones = new float[9];
    java.util.Arrays.fill(ones, 1);
    assertArrayEquals(new float[] {63, 81, 153, 171}, cpu.convForward(oneTo25(), ones, null, g));
  }

  @Test
  void unequalStrides() {
    // 1x1 kernel of 2, stride 2 down and 3 across: samples rows 0, 2, 4 and columns 0, 3
    ConvGeometry g = ConvGeometry.of(1, 1, 5, 5, 1, ConvParams.of(1).withStride(2, 3));
    assertArrayEquals(
        new float[] {2, 8, 22, 28, 42, 48}, cpu.convForward(oneTo25(), new float[] {2}, null, g));
  }

  @Test
  void dilation2() {
    // 2x2 kernel [[1,10],[100,1000]] with dilation 2 reads x(i,j), x(i,j+2), x(i+2,j), x(i+2,j+2).
    // With v = x(i,j) on 1..25: v + 10(v+2) + 100(v+10) + 1000(v+12) = 1111 v + 13020.
    ConvGeometry g = ConvGeometry.of(1, 1, 5, 5, 1, ConvParams.of(2).withDilation(2));
    float[] expected = new float[9];
    int[] v = {1, 2, 3, 6, 7, 8, 11, 12, 13};
    for (int i = 0; i < 9; i++) {
      expected[i] = 1111 * v[i] + 13020;
    }
    assertEquals(14131, expected[0]);
    assertArrayEquals(
        expected, cpu.convForward(oneTo25(), new float[] {1, 10, 100, 1000}, null, g));
  }

  @Test
  void twoGroupsKeepChannelsApart() {
    // C = 4 constant planes 1, 10, 100, 1000; K = 2; groups 2; 1x1 weights [[1,2],[3,4]].
    // Filter 0 sees channels 0,1: 1 + 20 = 21. Filter 1 sees channels 2,3: 300 + 4000 = 4300.
    // (Without groups, filter 1 would read channels 0,1 and give 43.)
    ConvGeometry g = ConvGeometry.of(1, 4, 2, 2, 2, ConvParams.of(1).withGroups(2));
    float[] x = {1, 1, 1, 1, 10, 10, 10, 10, 100, 100, 100, 100, 1000, 1000, 1000, 1000};
    float[] out = cpu.convForward(x, new float[] {1, 2, 3, 4}, null, g);
    assertArrayEquals(new float[] {21, 21, 21, 21, 4300, 4300, 4300, 4300}, out);
  }

  @Test
  void twoGroupsBackward() {
    // Same layer: dL/dX[c] = weight of c in its group's filter times that filter's gradient.
    ConvGeometry g = ConvGeometry.of(1, 4, 1, 1, 2, ConvParams.of(1).withGroups(2));
    float[] dO = {5, 7};
    assertArrayEquals(
        new float[] {1 * 5, 2 * 5, 3 * 7, 4 * 7},
        cpu.convBackwardInput(dO, new float[] {1, 2, 3, 4}, g));
    float[] x = {1, 10, 100, 1000};
    assertArrayEquals(
        new float[] {1 * 5, 10 * 5, 100 * 7, 1000 * 7}, cpu.convBackwardFilter(x, dO, g));
  }

  @Test
  void depthwise() {
    // C = K = groups = 3; x_c(i,j) = (c+1)^2 (3i + j) on 3x3; w_c = [[c+1, 0], [0, -(c+1)]].
    // out_c(i,j) = (c+1)(x_c(i,j) - x_c(i+1,j+1)) = (c+1) * (c+1)^2 * (-4) = -4 (c+1)^3.
    ConvGeometry g = ConvGeometry.of(1, 3, 3, 3, 3, ConvParams.of(2).withGroups(3));
    float[] x = new float[27];
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < 9; p++) {
        x[c * 9 + p] = (c + 1) * (c + 1) * (3 * (p / 3) + p % 3);
      }
    }
    float[] wt = {1, 0, 0, -1, 2, 0, 0, -2, 3, 0, 0, -3};
    float[] expected = {-4, -4, -4, -4, -32, -32, -32, -32, -108, -108, -108, -108};
    assertArrayEquals(expected, cpu.convForward(x, wt, null, g));
  }

  @Test
  void cellsNoWindowReadsGetExactlyZeroGradient() {
    // 7x7 input, 2x2 kernel, stride 3: windows start at 0 and 3, so rows and columns 2, 5, 6 are
    // never read. Their gradient must be exactly 0 (the output was poisoned with NaN).
    ConvGeometry g = ConvGeometry.of(1, 1, 7, 7, 1, ConvParams.of(2).withStride(3));
    assertEquals(2, g.outH());
    float[] gradInput =
        cpu.convBackwardInput(new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8}, g);
    for (int ih = 0; ih < 7; ih++) {
      for (int iw = 0; iw < 7; iw++) {
        boolean read = ih % 3 != 2 && iw % 3 != 2 && ih < 6 && iw < 6;
        float v = gradInput[ih * 7 + iw];
        if (read) {
          // each read cell lies in exactly one window: dO[window] * w[offset]
          float expected = (1 + (ih / 3) * 2 + iw / 3) * (5 + (ih % 3) * 2 + iw % 3);
          assertEquals(expected, v, "gradInput at (" + ih + "," + iw + ")");
        } else {
          assertEquals(0f, v, "unread gradInput at (" + ih + "," + iw + ")");
        }
      }
    }
    assertNotEquals(0f, gradInput[0]);
  }
}
