package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.convcl.ops.Activation;
import org.junit.jupiter.api.Test;

/**
 * The branch-free ReLU gives the same bits as {@code x > 0 ? x : 0} (forward) and {@code dy * (x >
 * 0 ? 1 : 0)} (backward) on every special value (signed zeros, infinities, NaNs of either sign,
 * subnormals) and on random floats, so the rewrite changed no result; both row kernels, the scalar
 * one and this JVM's (SIMD under surefire).
 */
class ReluBitsTest {
  @Test
  void branchFreeReluEqualsTheComparisonBitForBit() {
    float[] special = {
      0f,
      -0f,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      Float.MIN_NORMAL,
      1f,
      -1f,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.NaN,
      Float.intBitsToFloat(0xffc00000),
      Float.intBitsToFloat(0x7f800001),
      Float.intBitsToFloat(0xff800001)
    };
    Random r = new Random(5);
    float[] x = new float[special.length + 100_000];
    System.arraycopy(special, 0, x, 0, special.length);
    for (int i = special.length; i < x.length; i++) {
      x[i] = Float.intBitsToFloat(r.nextInt());
    }
    float[] dy = new float[x.length];
    for (int i = 0; i < dy.length; i++) {
      dy[i] =
          i < special.length * special.length ? special[i % special.length] : r.nextFloat() - 0.5f;
    }
    for (RowKernels k : new RowKernels[] {new ScalarRowKernels(), RowKernels.best()}) {
      assertReluBits(k, x, dy);
    }
  }

  private static void assertReluBits(RowKernels k, float[] x, float[] dy) {
    float[] y = new float[x.length];
    float[] dx = new float[x.length];
    try (Parallel par = new Parallel(2)) {
      CpuElementwise.forward(par, k, Activation.RELU, x, y);
      CpuElementwise.backward(par, k, Activation.RELU, x, y, dy, dx);
    }
    String kernels = k.getClass().getSimpleName() + ": ";
    for (int i = 0; i < x.length; i++) {
      float expectY = x[i] > 0 ? x[i] : 0f;
      float expectDx = dy[i] * (x[i] > 0 ? 1f : 0f);
      assertEquals(
          Float.floatToRawIntBits(expectY),
          Float.floatToRawIntBits(y[i]),
          kernels + "relu(" + x[i] + ")");
      assertEquals(
          Float.floatToRawIntBits(expectDx),
          Float.floatToRawIntBits(dx[i]),
          kernels + "relu'(" + x[i] + ") * " + dy[i]);
    }
  }
}
