package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ref.RefPool;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.WindowMax;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The branch-free max pool ({@link MaxKey}, the 2x2 loop by Math.max and equality, the flat checked
 * scatter) against RefPool on the windows it specialises (2x2 stride 2, 2x2 stride 1, 3x3 stride 2)
 * and random ones, on planes wide enough for the tight loop, odd sizes, batch 1, padding and ceil
 * mode, with inputs full of ties (a few distinct values, both zeros) and NaNs of several payloads:
 * the winner must be the same cell and the same bits, and the upsample the reference's sums.
 */
class MaxPoolFastPathTest {
  static LongStream seeds() {
    return LongStream.range(0, 60);
  }

  private static final float[] TIE_VALUES = {
    -2f,
    -1f,
    -0f,
    0f,
    1f,
    2f,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MIN_NORMAL
  };
  private static final float[] NANS = {
    Float.NaN, Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffc00000)
  };

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void fastPathsMatchTheReferenceWithTiesAndNaNs(long seed) {
    Random r = new Random(seed);
    PoolGeometry g = geometry(r);
    float[] x = input(r, g.inputShape().size(), (int) (seed % 3));
    float[] dy = Rand.floats(r, g.outputShape().size());
    String ctx = "seed " + seed + ", " + g;
    RefPool.MaxPooled ref = RefPool.maxForward(Numeric.toDouble(x), g);
    try (CpuRunner cpu = new CpuRunner(new CpuOps(2))) {
      CpuRunner.MaxPool max = cpu.maxPoolForward(x, g);
      ArrayDiff.assertEqualInts("argmax " + ctx, g.outputShape(), ref.argmax(), max.argmax());
      int plane = g.h() * g.w();
      for (int o = 0; o < max.output().length; o++) {
        int cell = (o / (g.outH() * g.outW())) * plane + max.argmax()[o];
        assertEquals(
            Float.floatToRawIntBits(x[cell]),
            Float.floatToRawIntBits(max.output()[o]),
            "output " + o + " is not a copy of its winner, " + ctx);
      }
      // Sums of at most kernel^2 / stride^2 <= 9 terms of magnitude <= 1: 1e-6 covers float
      // rounding of the adds in output order.
      ArrayDiff.assertClose(
          "maxPoolBackward " + ctx,
          g.inputShape(),
          RefPool.maxBackward(Numeric.toDouble(dy), ref.argmax(), g),
          cpu.maxPoolBackward(dy, max.argmax(), g),
          1e-6,
          1e-6);
    }
  }

  /** A bad argmax anywhere (first, middle, last window; several planes) is found and named. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aBadArgmaxIsNamedAndTheGradientIsPoisoned(long seed) {
    Random r = new Random(seed);
    PoolGeometry g = geometry(r);
    float[] x = input(r, g.inputShape().size(), 0);
    try (CpuRunner cpu = new CpuRunner(new CpuOps(2))) {
      int[] argmax = cpu.maxPoolForward(x, g).argmax().clone();
      int bad = r.nextInt(argmax.length);
      argmax[bad] = outsideItsWindow(r, g, bad);
      float[] dy = Rand.floats(r, argmax.length);
      var dx = cpu.upload(g.inputShape(), new float[g.inputShape().size()]); // zeros, not NaN
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  cpu.ops.maxPoolBackward(
                      cpu.upload(g.outputShape(), dy),
                      cpu.uploadInts(g.outputShape(), argmax),
                      dx,
                      g));
      assertTrue(
          e.getMessage().contains("argmax[" + bad + "] = " + argmax[bad] + " is not in window"),
          e.getMessage() + " (seed " + seed + ", " + g + ")");
      float[] left = cpu.ops.read(dx);
      assertTrue(
          Arrays.stream(Numeric.toDouble(left)).allMatch(Double::isNaN),
          "gradInput must not pass for a result after a refused argmax");
    }
  }

  /** The key order is WindowMax's rule on every pair of special and random floats. */
  @Test
  void maxKeyOrderIsWindowMaxRule() {
    Random r = new Random(7);
    float[] v = new float[200];
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
      Float.intBitsToFloat(0xff800001),
      Float.intBitsToFloat(0x7fffffff),
      Float.intBitsToFloat(0xffffffff)
    };
    System.arraycopy(special, 0, v, 0, special.length);
    for (int i = special.length; i < v.length; i++) {
      v[i] = Float.intBitsToFloat(r.nextInt());
    }
    for (float a : v) {
      for (float b : v) {
        assertEquals(
            WindowMax.beats(a, b),
            MaxKey.of(a) > MaxKey.of(b),
            "beats(" + a + " " + Integer.toHexString(Float.floatToRawIntBits(a)) + ", " + b + ")");
        assertEquals(
            MaxKey.of(a) > MaxKey.of(b) ? -1 : 0, MaxKey.greater(MaxKey.of(a), MaxKey.of(b)));
      }
    }
    for (int i = 0; i < 1000; i++) {
      int a = r.nextInt();
      int b = i % 3 == 0 ? a : r.nextInt();
      assertEquals(a == b ? -1 : 0, MaxKey.equal(a, b), a + " == " + b);
    }
  }

  /** Half the seeds a specialised window on planes up to 40 wide, the rest any window. */
  private static PoolGeometry geometry(Random r) {
    int kind = r.nextInt(6);
    if (kind >= 4) {
      return org.convcl.testutil.RandomGeometry.pool(r, 4, 40);
    }
    int k = kind == 3 ? 3 : 2;
    int s = kind == 1 ? 1 : 2;
    Padding pad = r.nextInt(3) == 0 ? Padding.of(k / 2) : Padding.NONE;
    PoolParams p = PoolParams.of(k, s).withPadding(pad).withCeilMode(r.nextBoolean());
    int n = r.nextBoolean() ? 1 : Rand.between(r, 2, 3);
    return PoolGeometry.of(
        n, Rand.between(r, 1, 4), Rand.between(r, k, 40), Rand.between(r, k, 40), p);
  }

  /** mode 0: random values; 1: ties from a few values; 2: ties and about 5 % NaNs. */
  private static float[] input(Random r, int size, int mode) {
    float[] x = Rand.floats(r, size);
    for (int i = 0; i < size && mode > 0; i++) {
      x[i] = TIE_VALUES[r.nextInt(TIE_VALUES.length)];
      if (mode == 2 && r.nextInt(20) == 0) {
        x[i] = NANS[r.nextInt(NANS.length)];
      }
    }
    return x;
  }

  /** A value that is not a real cell of window {@code o}: outside the plane or another cell. */
  private static int outsideItsWindow(Random r, PoolGeometry g, int o) {
    int plane = g.h() * g.w();
    return switch (r.nextInt(3)) {
      case 0 -> -1 - r.nextInt(5);
      case 1 -> plane + r.nextInt(5);
      default -> {
        for (int tries = 0; tries < 100; tries++) {
          int a = r.nextInt(plane);
          if (!inWindow(a, g, o)) {
            yield a;
          }
        }
        yield plane; // every cell is in this window (a window as large as the plane)
      }
    };
  }

  private static boolean inWindow(int a, PoolGeometry g, int o) {
    PoolParams p = g.params();
    int oh = (o / g.outW()) % g.outH();
    int ow = o % g.outW();
    int dh = a / g.w() - (oh * p.strideH() - p.padding().top());
    int dw = a % g.w() - (ow * p.strideW() - p.padding().left());
    return dh >= 0 && dh < p.kernelH() && dw >= 0 && dw < p.kernelW();
  }
}
