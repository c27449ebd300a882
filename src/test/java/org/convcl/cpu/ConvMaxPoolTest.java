package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.ref.RefConv;
import org.convcl.ref.RefOps;
import org.convcl.ref.RefPool;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Tensor;
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
 * The CPU backend's fused convolution + max pool ({@link DirectConvMaxPool}) on seeded random cases
 * ({@link ConvMaxPoolCase}: strides in height, asymmetric padding, dilation, groups, depthwise, odd
 * sizes, batch 1; overlapping, gapped, padded and ceil-mode pools): the same bits as the separate
 * ops it stands for (the bias gradient within its rounding), and the reference's values in double.
 * Where the kernels do not apply, the op still computes (the separate ops).
 */
class ConvMaxPoolTest {
  private static final int CASES = 120;

  /**
   * A pooled value is a convolution output (a sum of m <= 4*4*3 products) through a 1-Lipschitz
   * activation and a maximum: off from the double value by at most about m u S, S the sum of the
   * |products| (u = 6e-8), so 1e-5 (S + 1) as in ConvGradientCheckTest.
   */
  private static final double TOL = 1e-5;

  @Test
  void forwardIsTheSeparateOpsBitForBitAndTheReference() {
    try (CpuOps cpu = ConvMaxPoolCase.fusingCpu(2)) {
      for (long seed = 0; seed < CASES; seed++) {
        Case c = ConvMaxPoolCase.draw(seed, 13);
        for (Activation f : ConvMaxPoolCase.EPILOGUES) {
          String ctx = "seed " + seed + " " + f + ": " + c;
          assertTrue(ConvMaxPoolCase.fuses(cpu, c, f), "fuses " + ctx);
          Random r = new Random(seed * 7 + 1);
          float[] x = Rand.floats(r, c.conv().inputShape().size());
          float[] w = Rand.floats(r, c.conv().weightShape().size());
          float[] b = c.conv().params().bias() ? Rand.floats(r, c.conv().k()) : null;
          Pooled fused = ConvMaxPoolRun.fused(cpu, c, x, w, b, f);
          Pooled separate = ConvMaxPoolRun.separate(cpu, c, x, w, b, f);
          assertArrayEquals(separate.output(), fused.output(), "pooled " + ctx);
          assertArrayEquals(separate.argmax(), fused.argmax(), "argmax " + ctx);
          ArrayDiff.assertClose(
              "pooled vs reference " + ctx,
              c.pool().outputShape(),
              reference(c, x, w, b, f),
              fused.output(),
              TOL * (scale(c, x, w) + 1),
              TOL);
        }
      }
    }
  }

  @Test
  void filterGradientIsTheSeparateOpsAndTheReference() {
    try (CpuOps cpu = ConvMaxPoolCase.fusingCpu(2)) {
      for (long seed = 0; seed < CASES; seed++) {
        Case c = ConvMaxPoolCase.draw(seed, 13);
        for (Activation f : ConvMaxPoolCase.EPILOGUES) {
          String ctx = "seed " + seed + " " + f + ": " + c;
          Random r = new Random(seed * 7 + 2);
          float[] x = Rand.floats(r, c.conv().inputShape().size());
          float[] w = Rand.floats(r, c.conv().weightShape().size());
          Pooled p = ConvMaxPoolRun.fused(cpu, c, x, w, null, f);
          float[] dp = Rand.floats(r, c.pool().outputShape().size());
          boolean bias = c.conv().params().bias();
          Grads fused = ConvMaxPoolRun.fusedBackward(cpu, c, x, dp, p, f, bias);
          Grads separate = ConvMaxPoolRun.separateBackward(cpu, c, x, dp, p, f, bias);
          double[] dy = ConvMaxPoolRun.upsampledReference(c, dp, p, f);
          double[] xd = Numeric.toDouble(x);
          double scale = ConvMaxPoolRun.filterGradientScale(c, x, dy);
          assertFusedWeights(c, separate, fused, scale, ctx);

          ArrayDiff.assertClose(
              "gradWeights vs reference " + ctx,
              c.conv().weightShape(),
              RefConv.backwardFilter(xd, dy, c.conv()),
              fused.weights(),
              TOL * scale,
              TOL);
          if (bias) {
            // The same products summed in double in another order: off by the final rounding.
            double sum =
                Numeric.maxAbs(RefConv.backwardBias(Numeric.abs(dy), c.conv().n(), c.conv().k()));
            ArrayDiff.assertClose(
                "gradBias vs biasBackward " + ctx,
                c.conv().biasShape(),
                separate.bias(),
                fused.bias(),
                1e-6 * sum,
                1e-6);
            ArrayDiff.assertClose(
                "gradBias vs reference " + ctx,
                c.conv().biasShape(),
                RefConv.backwardBias(dy, c.conv().n(), c.conv().k()),
                fused.bias(),
                1e-6 * sum,
                1e-6);
          }
        }
      }
    }
  }

  /**
   * A batch of 37 (three chunks of the filter gradient's sum, the last one short) with rows of 10
   * windows (the plan pads each to two slots of 8): the same bits as the separate ops, on 1 and 2
   * threads; the random cases above have at most 3 images, one chunk.
   */
  @Test
  void manyChunksAndPaddedRowsAreTheSeparateOps() {
    ConvGeometry g = ConvGeometry.of(37, 2, 12, 12, 5, ConvParams.of(3));
    Case c = new Case(g, PoolGeometry.of(g.outputShape(), PoolParams.of(2, 2)));
    Random r = new Random(5);
    float[] x = Rand.floats(r, g.inputShape().size());
    float[] w = Rand.floats(r, g.weightShape().size());
    float[] b = Rand.floats(r, g.k());
    float[] dp = Rand.floats(r, c.pool().outputShape().size());
    for (int threads : new int[] {1, 2}) {
      try (CpuOps cpu = ConvMaxPoolCase.fusingCpu(threads)) {
        String ctx = threads + " threads: " + c;
        Pooled fused = ConvMaxPoolRun.fused(cpu, c, x, w, b, Activation.RELU);
        Pooled separate = ConvMaxPoolRun.separate(cpu, c, x, w, b, Activation.RELU);
        assertArrayEquals(separate.output(), fused.output(), "pooled " + ctx);
        assertArrayEquals(separate.argmax(), fused.argmax(), "argmax " + ctx);
        Grads g1 = ConvMaxPoolRun.fusedBackward(cpu, c, x, dp, fused, Activation.RELU, true);
        Grads g2 = ConvMaxPoolRun.separateBackward(cpu, c, x, dp, fused, Activation.RELU, true);
        assertArrayEquals(g2.weights(), g1.weights(), "gradWeights " + ctx);
        ArrayDiff.assertClose("gradBias " + ctx, g.biasShape(), g2.bias(), g1.bias(), 1e-6, 1e-6);
      }
    }
  }

  /** Every thread count gives the same bits (a batch of 37 has several chunks of the sum). */
  @Test
  void sameBitsOnAnyThreadCount() {
    Case c = lenetConv1(37);
    Random r = new Random(11);
    float[] x = Rand.floats(r, c.conv().inputShape().size());
    float[] w = Rand.floats(r, c.conv().weightShape().size());
    float[] b = Rand.floats(r, c.conv().k());
    float[] dp = Rand.floats(r, c.pool().outputShape().size());
    Pooled p1;
    Grads g1;
    try (CpuOps one = ConvMaxPoolCase.fusingCpu(1)) {
      p1 = ConvMaxPoolRun.fused(one, c, x, w, b, Activation.RELU);
      g1 = ConvMaxPoolRun.fusedBackward(one, c, x, dp, p1, Activation.RELU, true);
    }
    for (int threads : new int[] {2, 3}) {
      try (CpuOps many = ConvMaxPoolCase.fusingCpu(threads)) {
        Pooled p = ConvMaxPoolRun.fused(many, c, x, w, b, Activation.RELU);
        Grads g = ConvMaxPoolRun.fusedBackward(many, c, x, dp, p, Activation.RELU, true);
        assertArrayEquals(p1.output(), p.output(), threads + " threads");
        assertArrayEquals(p1.argmax(), p.argmax(), threads + " threads");
        assertArrayEquals(g1.weights(), g.weights(), threads + " threads");
        assertArrayEquals(g1.bias(), g.bias(), threads + " threads");
      }
    }
  }

  /** LeNet's two conv-ReLU-maxpool layers fuse on the shipped choice table (direct kernels). */
  @Test
  void lenetLayersFuseOnTheShippedChoices() {
    try (CpuOps cpu = new CpuOps()) {
      Case conv1 = lenetConv1(1);
      ConvGeometry g2 = ConvGeometry.of(1, 20, 12, 12, 50, ConvParams.of(5));
      Case conv2 = new Case(g2, PoolGeometry.of(g2.outputShape(), PoolParams.of(2, 2)));
      assertTrue(ConvMaxPoolCase.fuses(cpu, conv1, Activation.RELU), "conv1");
      assertTrue(ConvMaxPoolCase.fuses(cpu, conv2, Activation.RELU), "conv2");
      assertEquals(false, ConvMaxPoolCase.fuses(cpu, conv1, Activation.TANH), "tanh");
    }
    try (Ops ref = new RefOps()) {
      assertEquals(false, ConvMaxPoolCase.fuses(ref, lenetConv1(1), Activation.RELU), "ref");
    }
  }

  /**
   * Where the fused kernels do not apply (stride 2 along the width, tanh), or apply but are not the
   * backend's choice (a shape the choice table does not list: the fallback is the im2col GEMM), the
   * op runs the separate ops, as on the reference backend.
   */
  @Test
  void computesAsTheSeparateOpsWhereItDoesNotFuse() {
    ConvGeometry wide = ConvGeometry.of(2, 3, 9, 11, 4, ConvParams.of(3).withStride(1, 2));
    Case strided = new Case(wide, PoolGeometry.of(wide.outputShape(), PoolParams.of(2, 2)));
    ConvGeometry plain = ConvGeometry.of(2, 3, 9, 11, 4, ConvParams.of(3));
    Case unlisted = new Case(plain, PoolGeometry.of(plain.outputShape(), PoolParams.of(2, 2)));
    Case lenet = lenetConv1(2);
    try (CpuOps fusing = ConvMaxPoolCase.fusingCpu(2);
        CpuOps cpu = new CpuOps(2);
        Ops ref = new RefOps()) {
      assertEquals(false, ConvMaxPoolCase.fuses(fusing, strided, Activation.RELU), "stride 2");
      assertEquals(false, ConvMaxPoolCase.fuses(cpu, unlisted, Activation.RELU), "not chosen");
      assertTrue(ConvMaxPoolCase.fuses(fusing, unlisted, Activation.RELU), "chosen by override");
      for (Ops ops : new Ops[] {cpu, ref}) {
        check(ops, strided, Activation.RELU, 3);
        check(ops, unlisted, Activation.RELU, 6);
        check(ops, lenet, Activation.TANH, 4);
        check(ops, lenet, Activation.RELU, 5);
      }
    }
  }

  private static void check(Ops ops, Case c, Activation f, long seed) {
    String ctx = ops.name() + " " + f + ": " + c;
    Random r = new Random(seed);
    float[] x = Rand.floats(r, c.conv().inputShape().size());
    float[] w = Rand.floats(r, c.conv().weightShape().size());
    float[] b = Rand.floats(r, c.conv().k());
    Pooled fused = ConvMaxPoolRun.fused(ops, c, x, w, b, f);
    Pooled separate = ConvMaxPoolRun.separate(ops, c, x, w, b, f);
    assertArrayEquals(separate.output(), fused.output(), "pooled " + ctx);
    assertArrayEquals(separate.argmax(), fused.argmax(), "argmax " + ctx);
    if (f.derivableFromOutput()) {
      float[] dp = Rand.floats(r, c.pool().outputShape().size());
      Grads g = ConvMaxPoolRun.fusedBackward(ops, c, x, dp, fused, f, true);
      Grads s = ConvMaxPoolRun.separateBackward(ops, c, x, dp, fused, f, true);
      if (ops.fusesConvMaxPool(c.conv(), f, c.pool())) {
        double scale =
            ConvMaxPoolRun.filterGradientScale(
                c, x, ConvMaxPoolRun.upsampledReference(c, dp, fused, f));
        assertFusedWeights(c, s, g, scale, ctx);
        // The same products, summed in double in another order (see DirectConvMaxPool).
        ArrayDiff.assertClose(
            "gradBias " + ctx, c.conv().biasShape(), s.bias(), g.bias(), 1e-6, 1e-6);
      } else {
        assertArrayEquals(s.weights(), g.weights(), "gradWeights " + ctx);
        assertArrayEquals(s.bias(), g.bias(), "gradBias " + ctx);
      }
    }
  }

  /** An argmax value outside its window is named, and the gradients are left NaN. */
  @Test
  void namesAnArgmaxOutsideItsWindow() {
    Case c = lenetConv1(2);
    try (CpuOps cpu = ConvMaxPoolCase.fusingCpu(2)) {
      Random r = new Random(3);
      float[] x = Rand.floats(r, c.conv().inputShape().size());
      float[] w = Rand.floats(r, c.conv().weightShape().size());
      Pooled p = ConvMaxPoolRun.fused(cpu, c, x, w, null, Activation.RELU);
      int[] bad = p.argmax().clone();
      bad[30] = bad[30] + 2 * c.pool().w(); // two rows down: outside the 2x2 window
      float[] dp = Rand.floats(r, c.pool().outputShape().size());
      try (Tensor xt = cpu.upload(c.conv().inputShape(), x);
          Tensor dpt = cpu.upload(c.pool().outputShape(), dp);
          Tensor idx = cpu.uploadInts(c.pool().outputShape(), bad);
          Tensor pooled = cpu.upload(c.pool().outputShape(), p.output());
          Tensor gw = cpu.allocate(c.conv().weightShape(), DType.FLOAT32);
          Tensor gb = cpu.allocate(c.conv().biasShape(), DType.FLOAT32)) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    cpu.convMaxPoolBackwardFilter(
                        xt, dpt, idx, pooled, gw, gb, c.conv(), Activation.RELU, c.pool()));
        assertTrue(e.getMessage().contains("argmax[30]"), e.getMessage());
        for (float v : cpu.read(gw)) {
          assertTrue(Float.isNaN(v), "gradWeights left NaN");
        }
        for (float v : cpu.read(gb)) {
          assertTrue(Float.isNaN(v), "gradBias left NaN");
        }
        assertTrue(e.getMessage().startsWith("convMaxPoolBackwardFilter"), e.getMessage());
      }
    }
  }

  @Test
  void refusesArgumentsThatDoNotFit() {
    Case c = lenetConv1(2);
    ConvGeometry g = c.conv();
    PoolGeometry other = PoolGeometry.of(g.withBatch(3).outputShape(), PoolParams.of(2, 2));
    try (CpuOps cpu = new CpuOps(1);
        Tensor x = cpu.allocate(g.inputShape(), DType.FLOAT32);
        Tensor w = cpu.allocate(g.weightShape(), DType.FLOAT32);
        Tensor pooled = cpu.allocate(c.pool().outputShape(), DType.FLOAT32);
        Tensor argmax = cpu.allocate(c.pool().outputShape(), DType.INT32);
        Tensor floatArgmax = cpu.allocate(c.pool().outputShape(), DType.FLOAT32);
        Tensor gw = cpu.allocate(g.weightShape(), DType.FLOAT32)) {
      expect(
          () -> cpu.convMaxPoolForward(x, w, null, pooled, argmax, g, null, other),
          "convMaxPoolForward: pool input");
      expect(
          () -> cpu.convMaxPoolForward(x, w, null, pooled, argmax, g, null, null),
          "convMaxPoolForward: pool");
      expect(
          () -> cpu.convMaxPoolForward(x, w, null, pooled, floatArgmax, g, null, c.pool()),
          "argmax");
      expect(() -> cpu.convMaxPoolForward(x, w, null, w, argmax, g, null, c.pool()), "pooled");
      expect(
          () ->
              cpu.convMaxPoolBackwardFilter(
                  x, pooled, argmax, pooled, gw, null, g, Activation.TANH, c.pool()),
          "convMaxPoolBackwardFilter: derivative");
      expect(
          () ->
              cpu.convMaxPoolBackwardFilter(
                  x, pooled, argmax, null, gw, null, g, Activation.RELU, c.pool()),
          "convMaxPoolBackwardFilter: pooled");
      expect(
          () ->
              cpu.convMaxPoolBackwardFilter(
                  x, pooled, argmax, null, pooled, null, g, null, c.pool()),
          "gradWeights");
    }
  }

  private static void expect(Runnable call, String named) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(named), e.getMessage() + " should name " + named);
  }

  /**
   * The fused weight gradient against the separate ops': their bits where the dense kernel runs on
   * the upsampled gradient, and where the sum runs over the pool's chosen cells only ({@link
   * PooledFilterGradient}) the same products in another order, so within {@code TOL} of {@code
   * scale}, the largest entry of the sums of their magnitudes (the reference on |x| and |dy|).
   */
  private static void assertFusedWeights(
      Case c, Grads separate, Grads fused, double scale, String ctx) {
    if (!PooledFilterGradient.applies(c.conv(), c.pool())) {
      assertArrayEquals(separate.weights(), fused.weights(), "gradWeights " + ctx);
      return;
    }
    ArrayDiff.assertClose(
        "gradWeights vs the separate ops " + ctx,
        c.conv().weightShape(),
        Numeric.toDouble(separate.weights()),
        fused.weights(),
        TOL * scale,
        TOL);
  }

  /** LeNet's first layer, conv 5x5x20 on 1x28x28 then a 2x2 max pool, at batch {@code n}. */
  private static Case lenetConv1(int n) {
    ConvGeometry g = ConvGeometry.of(n, 1, 28, 28, 20, ConvParams.of(5));
    return new Case(g, PoolGeometry.of(g.outputShape(), PoolParams.of(2, 2)));
  }

  /** The reference's pooled values in double, of the reference's convolution and activation. */
  private static double[] reference(Case c, float[] x, float[] w, float[] b, Activation f) {
    double[] y =
        RefConv.forward(
            Numeric.toDouble(x),
            Numeric.toDouble(w),
            b == null ? null : Numeric.toDouble(b),
            c.conv());
    if (f != null) {
      for (int i = 0; i < y.length; i++) {
        y[i] = org.convcl.ref.RefElementwise.apply(f, y[i]);
      }
    }
    return RefPool.maxForward(y, c.pool()).output();
  }

  /** The largest |conv| of |x| and |w|: the scale of the forward's rounding. */
  private static double scale(Case c, float[] x, float[] w) {
    return Numeric.maxAbs(
        RefConv.forward(
            Numeric.abs(Numeric.toDouble(x)), Numeric.abs(Numeric.toDouble(w)), null, c.conv()));
  }
}
