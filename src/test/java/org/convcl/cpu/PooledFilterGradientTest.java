package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.convcl.ops.Activation;
import org.convcl.ref.RefConv;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.ConvMaxPoolCase;
import org.convcl.testutil.ConvMaxPoolCase.Case;
import org.convcl.testutil.ConvMaxPoolRun;
import org.convcl.testutil.ConvMaxPoolRun.Grads;
import org.convcl.testutil.ConvMaxPoolRun.Pooled;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Test;

/**
 * The fused filter and bias gradients over the cells a max pool chose ({@link
 * PooledFilterGradient}) on seeded random shapes it applies to (tap rows of 4-8 cells, 1-5 rows,
 * dilation and stride in height, groups, batches of 1-40 so one to three chunks; pools of 2-3 with
 * strides 2-3, padding, ceil mode, overlapping windows): the reference's values in double, the
 * separate ops' within rounding, the same bits on any thread count and with the scalar kernel.
 */
class PooledFilterGradientTest {
  private static final int CASES = 120;

  /**
   * Each entry is a float chain of the same products as the reference's double sum, m of them (at
   * most 16 images x about 90 pooled outputs here, so m < 1500), each add rounded by at most u =
   * 6e-8 of the running sum, itself at most S, the sum of the products' magnitudes. The worst case,
   * m u S, would be 9e-5 S; rounding errors of independent signs grow like sqrt(m) u S, under 3e-6
   * S, and the separate ops' sum (the other side of the second comparison) adds as much. 1e-5 S
   * covers both with a margin and still flags one product of a 1500 in the wrong place.
   */
  private static final double TOL = 1e-5;

  @Test
  void matchesTheReferenceAndTheSeparateOps() {
    try (CpuOps cpu = ConvMaxPoolCase.fusingCpu(2)) {
      for (long seed = 0; seed < CASES; seed++) {
        Case c = draw(seed);
        Activation f = seed % 3 == 0 ? Activation.leakyRelu(0.1f) : Activation.RELU;
        String ctx = "seed " + seed + " " + f + ": " + c;
        assertTrue(PooledFilterGradient.applies(c.conv(), c.pool()), "applies " + ctx);
        assertTrue(ConvMaxPoolCase.fuses(cpu, c, f), "fuses " + ctx);
        Random r = new Random(seed * 7 + 3);
        float[] x = Rand.floats(r, c.conv().inputShape().size());
        float[] w = Rand.floats(r, c.conv().weightShape().size());
        Pooled p = ConvMaxPoolRun.fused(cpu, c, x, w, Rand.floats(r, c.conv().k()), f);
        float[] dp = Rand.floats(r, c.pool().outputShape().size());
        Grads fused = ConvMaxPoolRun.fusedBackward(cpu, c, x, dp, p, f, true);
        Grads separate = ConvMaxPoolRun.separateBackward(cpu, c, x, dp, p, f, true);

        double[] dy = ConvMaxPoolRun.upsampledReference(c, dp, p, f);
        double[] xd = Numeric.toDouble(x);
        double scale = ConvMaxPoolRun.filterGradientScale(c, x, dy);
        ArrayDiff.assertClose(
            "gradWeights vs reference " + ctx,
            c.conv().weightShape(),
            RefConv.backwardFilter(xd, dy, c.conv()),
            fused.weights(),
            TOL * scale,
            TOL);
        ArrayDiff.assertClose(
            "gradWeights vs the separate ops " + ctx,
            c.conv().weightShape(),
            separate.weights(),
            fused.weights(),
            TOL * scale,
            TOL);
        double sum =
            Numeric.maxAbs(RefConv.backwardBias(Numeric.abs(dy), c.conv().n(), c.conv().k()));
        ArrayDiff.assertClose(
            "gradBias vs reference " + ctx,
            c.conv().biasShape(),
            RefConv.backwardBias(dy, c.conv().n(), c.conv().k()),
            fused.bias(),
            TOL * sum,
            TOL);
      }
    }
  }

  /** One to three threads and the scalar kernel give the same bits (batch 37: three chunks). */
  @Test
  void sameBitsOnAnyThreadCountAndWithTheScalarKernel() {
    for (long seed = 0; seed < 12; seed++) {
      Case c = draw(seed, 37);
      Random r = new Random(seed);
      float[] x = Rand.floats(r, c.conv().inputShape().size());
      float[] w = Rand.floats(r, c.conv().weightShape().size());
      float[] dp = Rand.floats(r, c.pool().outputShape().size());
      String ctx = "seed " + seed + ": " + c;
      Pooled p;
      Grads one;
      try (CpuOps cpu = ConvMaxPoolCase.fusingCpu(1)) {
        p = ConvMaxPoolRun.fused(cpu, c, x, w, null, Activation.RELU);
        one = ConvMaxPoolRun.fusedBackward(cpu, c, x, dp, p, Activation.RELU, true);
      }
      for (int threads : new int[] {2, 3}) {
        try (CpuOps cpu = ConvMaxPoolCase.fusingCpu(threads)) {
          Grads g = ConvMaxPoolRun.fusedBackward(cpu, c, x, dp, p, Activation.RELU, true);
          assertArrayEquals(one.weights(), g.weights(), threads + " threads, " + ctx);
          assertArrayEquals(one.bias(), g.bias(), threads + " threads, " + ctx);
        }
      }
      assertTrue(MicroKernels.direct(MicroKernels.best()).vectorized(), "the SIMD kernel runs");
      assertArrayEquals(
          one.weights(), direct(new ScalarMicroKernel(), c, x, dp, p), "scalar, " + ctx);
    }
  }

  /**
   * A product 0 * x is never formed: an infinite input that only unchosen cells read leaves the
   * gradients finite, where the separate ops' dense sum multiplies it by their zero gradient.
   */
  @Test
  void anInputOnlyUnchosenCellsReadDoesNotMakeNaN() {
    Case c = small();
    Random r = new Random(9);
    float[] x = Rand.floats(r, c.conv().inputShape().size());
    float[] w = Rand.floats(r, c.conv().weightShape().size());
    float[] dp = Rand.floats(r, c.pool().outputShape().size());
    try (CpuOps cpu = ConvMaxPoolCase.fusingCpu(2)) {
      Pooled p = ConvMaxPoolRun.fused(cpu, c, x, w, null, null);
      // Input cell (0, 0) of image 0 is read by convolution output (0, 0) alone (through tap
      // (0, 0)); let every filter's first window choose its cell (0, 1) instead.
      int[] argmax = p.argmax().clone();
      int planeOut = CpuPool.planeOut(c.pool());
      for (int k = 0; k < c.conv().k(); k++) {
        argmax[k * planeOut] = 1;
      }
      Pooled chosen = new Pooled(p.output(), argmax);
      x[0] = Float.POSITIVE_INFINITY;
      Grads fused = ConvMaxPoolRun.fusedBackward(cpu, c, x, dp, chosen, null, true);
      Grads separate = ConvMaxPoolRun.separateBackward(cpu, c, x, dp, chosen, null, true);
      for (int i = 0; i < fused.weights().length; i++) {
        assertTrue(Float.isFinite(fused.weights()[i]), "gradWeights[" + i + "] finite");
      }
      assertTrue(Float.isNaN(separate.weights()[0]), "the dense sum forms 0 * inf");
    }
  }

  /**
   * The kernel alone: the SIMD kernel's vector loads up to {@code vectorCount} (the last ones
   * ending at the input's last float) and its lane-by-lane rest give the scalar kernel's bits, and
   * the reference's values, for every split and row count.
   */
  @Test
  void theKernelsVectorAndLaneByLaneCellsAgree() {
    DirectConvKernel simd = MicroKernels.direct(MicroKernels.best());
    DirectConvKernel scalar = new ScalarDirectConvKernel();
    assertTrue(simd.vectorized(), "the SIMD kernel runs");
    Random r = new Random(21);
    for (int width = 1; width <= DirectConvKernel.LANES; width++) {
      for (int rows = 1; rows <= DirectConvKernel.GATHER_ROWS; rows++) {
        int[] rowOff = new int[rows];
        for (int i = 1; i < rows; i++) {
          rowOff[i] = rowOff[i - 1] + Rand.between(r, width, 20);
        }
        float[] x = Rand.floats(r, 400);
        int count = 37;
        int safe = x.length - rowOff[rows - 1] - DirectConvKernel.LANES;
        int[] xo = new int[count];
        float[] g = Rand.floats(r, count);
        for (int split : new int[] {0, count / 2, count}) {
          for (int q = 0; q < count; q++) {
            // Vector cells up to the last safe offset (the first and last ones on it); the rest up
            // to the last offset whose row still fits the input.
            int last = q < split ? safe : x.length - rowOff[rows - 1] - width;
            xo[q] = q == 0 || q == split - 1 || q == count - 1 ? last : r.nextInt(last + 1);
          }
          float[] a = new float[rows * width + 3];
          float[] b = new float[rows * width + 3];
          float[] tmp = new float[DirectConvKernel.LANES];
          java.util.Arrays.fill(a, Float.NaN);
          java.util.Arrays.fill(b, Float.NaN);
          simd.gatherGradient(x, xo, g, count, split, rowOff, 0, rows, width, a, 1, tmp);
          scalar.gatherGradient(x, xo, g, count, split, rowOff, 0, rows, width, b, 1, tmp);
          String ctx = "width " + width + ", rows " + rows + ", vector cells " + split;
          assertArrayEquals(b, a, ctx);
          assertTrue(
              Float.isNaN(a[0]) && Float.isNaN(a[rows * width + 1]), "only its rows, " + ctx);
          for (int i = 0; i < rows; i++) {
            for (int sx = 0; sx < width; sx++) {
              double want = 0;
              double mag = 0;
              for (int q = 0; q < count; q++) {
                want += (double) g[q] * x[xo[q] + rowOff[i] + sx];
                mag += Math.abs((double) g[q] * x[xo[q] + rowOff[i] + sx]);
              }
              float got = a[1 + i * width + sx];
              assertTrue(Math.abs(got - want) <= 1e-5 * mag, ctx + " entry " + i + "," + sx);
            }
          }
        }
      }
    }
  }

  /**
   * An argmax outside its plane (negative, or far past it) is named, nothing read, gradients NaN.
   */
  @Test
  void anArgmaxOutsideThePlaneIsNamed() {
    Case c = small();
    Random r = new Random(4);
    float[] x = Rand.floats(r, c.conv().inputShape().size());
    float[] w = Rand.floats(r, c.conv().weightShape().size());
    float[] dp = Rand.floats(r, c.pool().outputShape().size());
    try (CpuOps cpu = ConvMaxPoolCase.fusingCpu(2)) {
      Pooled p = ConvMaxPoolRun.fused(cpu, c, x, w, null, Activation.RELU);
      for (int bad : new int[] {-1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
        int[] argmax = p.argmax().clone();
        int at = argmax.length - 1;
        argmax[at] = bad;
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    ConvMaxPoolRun.fusedBackward(
                        cpu, c, x, dp, new Pooled(p.output(), argmax), Activation.RELU, true));
        assertTrue(e.getMessage().contains("argmax[" + at + "] = " + bad), e.getMessage());
      }
    }
  }

  /** The filter gradient on a backend built with {@code kernel}. */
  private static float[] direct(MicroKernel kernel, Case c, float[] x, float[] dp, Pooled p) {
    try (Parallel par = new Parallel(2)) {
      CpuGemm gemm = CpuGemm.forMachine(par, kernel);
      float[] gw = new float[c.conv().weightShape().size()];
      java.util.Arrays.fill(gw, Float.NaN);
      assertTrue(
          PooledFilterGradient.run(
              gemm, x, dp, p.argmax(), p.output(), 0f, gw, c.conv(), c.pool()));
      return gw;
    }
  }

  private static Case draw(long seed) {
    Random r = new Random(seed);
    return draw(seed, r.nextInt(4) == 0 ? 1 : Rand.between(r, 2, 40));
  }

  /**
   * A convolution without padding (kernel 1-5 x 4-8, stride 1-2 and dilation 1-2 in height, one or
   * two groups) and a pool of 2-3 per side with strides 2-3 over its output.
   */
  private static Case draw(long seed, int n) {
    Random r = new Random(seed * 31 + 17);
    while (true) {
      int groups = Rand.between(r, 1, 2);
      int kh = Rand.between(r, 1, 5);
      int kw = Rand.between(r, 4, 8);
      ConvParams cp =
          ConvParams.of(kh)
              .withKernel(kh, kw)
              .withStride(Rand.between(r, 1, 2), 1)
              .withDilation(Rand.between(r, 1, 2), 1)
              .withGroups(groups);
      int h = Rand.between(r, 6, 18);
      int w = Rand.between(r, kw + 1, kw + 14);
      if ((kh - 1) * cp.dilationH() + 1 > h) {
        continue;
      }
      ConvGeometry g =
          ConvGeometry.of(
              n, groups * Rand.between(r, 1, 3), h, w, groups * Rand.between(r, 1, 4), cp);
      int pk = Rand.between(r, 2, 3);
      PoolParams pp =
          new PoolParams(
              pk,
              Rand.between(r, 2, 3),
              Rand.between(r, 2, 3),
              Rand.between(r, 2, 3),
              new Padding(r.nextInt(2), r.nextInt(2), r.nextInt(2), r.nextInt(2)),
              r.nextBoolean(),
              true);
      try {
        return new Case(g, PoolGeometry.of(g.outputShape(), pp));
      } catch (IllegalArgumentException refused) {
        // a pool PoolGeometry refuses on this output (too small, or a window of padding only)
      }
    }
  }

  /** Two 12x12 images, 3 filters 5x5, a 2x2 pool of stride 2 over the 8x8 outputs. */
  private static Case small() {
    ConvGeometry g = ConvGeometry.of(2, 1, 12, 12, 3, ConvParams.of(5));
    return new Case(g, PoolGeometry.of(g.outputShape(), PoolParams.of(2, 2)));
  }
}
