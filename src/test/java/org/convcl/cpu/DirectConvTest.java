package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.convcl.ops.Activation;
import org.convcl.ref.RefConv;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Test;

/**
 * The direct lowerings ({@link DirectForward}, {@link DirectBackwardFilter}, {@link
 * DirectFoldBackwardInput}) on shapes that cross their edges: batches around the filter gradient's
 * chunks of {@link DirectBackwardFilter#chunkImages} images (1, 7, 8, 9, 15, 16, 17, 33; 9 at the
 * large planes' 8), output rows that end in a short slot (width 1, 5, 9, 12) and so take the padded
 * copy, padding, dilation, a stride in height, groups, filter counts that are not a multiple of the
 * register tile. Each is checked against the double loops within the bound of {@link
 * ConvLoweringTest}, for bit-identical results with 1, 2 and 3 threads, and for the same bits from
 * the SIMD and the scalar direct kernel (what a JVM without the Vector API computes).
 */
class DirectConvTest {
  static List<ConvGeometry> shapes() {
    List<ConvGeometry> g = new ArrayList<>();
    for (int n : new int[] {1, 7, 8, 9, 15, 16, 17, 33}) {
      g.add(ConvGeometry.of(n, 1, 12, 13, 5, ConvParams.of(5))); // outW 9: a 1-window slot
    }
    g.add(ConvGeometry.of(3, 2, 9, 12, 7, ConvParams.of(3).withPadding(1))); // outW 12
    g.add(ConvGeometry.of(2, 3, 6, 5, 6, ConvParams.of(5).withPadding(new Padding(2, 1, 0, 2))));
    g.add(ConvGeometry.of(2, 4, 11, 16, 9, ConvParams.of(3).withDilation(2))); // outW 12
    g.add(ConvGeometry.of(3, 4, 10, 8, 6, ConvParams.of(3).withStride(2, 1).withGroups(2)));
    g.add(ConvGeometry.of(2, 3, 7, 1, 3, ConvParams.of(1))); // outW 1
    g.add(ConvGeometry.of(9, 20, 12, 12, 50, ConvParams.of(5))); // LeNet conv2, in place
    // Planes over DirectBackwardFilter.CHUNK_BYTES / 16: chunks of 8 images (8 + 1).
    g.add(ConvGeometry.of(9, 1, 130, 130, 2, ConvParams.of(3)));
    for (int n : new int[] {5, 17}) { // 63 windows: the batched fold takes 8 images, padded, groups
      g.add(ConvGeometry.of(n, 4, 7, 9, 6, ConvParams.of(3).withPadding(1).withGroups(2)));
    }
    return g;
  }

  @Test
  void everyShapeMatchesTheDoubleLoopsWithTheSameBitsForAnyThreadCountAndEitherKernel() {
    long seed = 0;
    for (ConvGeometry g : shapes()) {
      Random r = new Random(seed++);
      float[] x = Rand.floats(r, g.inputShape().size());
      float[] w = Rand.floats(r, g.weightShape().size());
      float[] b = Rand.floats(r, g.k());
      float[] dy = Rand.floats(r, g.outputShape().size());
      for (ConvPass pass : ConvPass.values()) {
        String ctx = "seed " + (seed - 1) + ", " + g + ", " + pass;
        float[] first = pass == ConvPass.BACKWARD_INPUT ? dy : x;
        float[] second = pass == ConvPass.BACKWARD_FILTER ? dy : w;
        float[] bias = pass == ConvPass.FORWARD ? b : null;
        float[] reference = null;
        for (int threads = 1; threads <= 3; threads++) {
          for (MicroKernel k : List.of(MicroKernels.best(), MicroKernels.scalar())) {
            float[] out = run(threads, k, first, second, bias, g, pass);
            if (reference == null) {
              reference = out;
              checkBound(ctx, pass, g, x, w, b, dy, out);
            } else {
              assertArrayEquals(reference, out, ctx + ", threads " + threads + ", " + k);
            }
          }
        }
      }
    }
  }

  /**
   * {@link BatchedFoldBackwardInput} (several images per product, the last task short where N is
   * not a multiple of its image count) on every shape it applies to: within the bound, the same
   * bits for 1, 2 and 3 threads and for either kernel.
   */
  @Test
  void theBatchedFoldMatchesTheDoubleLoopsWithTheSameBitsForAnyThreadCountAndEitherKernel() {
    int applied = 0;
    long seed = 100;
    for (ConvGeometry g : shapes()) {
      Random r = new Random(seed++);
      float[] x = Rand.floats(r, g.inputShape().size());
      float[] w = Rand.floats(r, g.weightShape().size());
      float[] b = Rand.floats(r, g.k());
      float[] dy = Rand.floats(r, g.outputShape().size());
      String ctx = "seed " + (seed - 1) + ", " + g;
      float[] reference = null;
      for (int threads = 1; threads <= 3; threads++) {
        for (MicroKernel k : List.of(MicroKernels.best(), MicroKernels.scalar())) {
          float[] out = new float[g.inputShape().size()];
          Arrays.fill(out, Float.NaN);
          try (Parallel par = new Parallel(threads)) {
            BatchedFoldBackwardInput l = new BatchedFoldBackwardInput(CpuGemm.forMachine(par, k));
            if (!l.applies(g)) {
              continue;
            }
            l.run(dy, w, null, out, g);
          }
          if (reference == null) {
            reference = out;
            checkBound(ctx, ConvPass.BACKWARD_INPUT, g, x, w, b, dy, out);
          } else {
            assertArrayEquals(reference, out, ctx + ", threads " + threads + ", " + k);
          }
        }
      }
      applied += reference == null ? 0 : 1;
    }
    assertTrue(applied >= 4, "the batched fold applied to " + applied + " shapes");
  }

  @Test
  void theFilterGradientChunksAreSixteenImagesUnlessTheirPlanesExceedTheBudget() {
    assertEquals(
        16,
        DirectBackwardFilter.chunkImages(ConvGeometry.of(64, 20, 12, 12, 50, ConvParams.of(5))));
    assertEquals(
        8, DirectBackwardFilter.chunkImages(ConvGeometry.of(9, 1, 130, 130, 2, ConvParams.of(3))));
    assertEquals(
        8,
        DirectBackwardFilter.chunkImages(
            ConvGeometry.of(32, 64, 56, 56, 64, ConvParams.of(3).withPadding(1))));
  }

  @Test
  void theDirectForwardGivesTheBitsOfTheIm2colGemm() {
    for (ConvGeometry g : shapes()) {
      Random r = new Random(g.hashCode());
      float[] x = Rand.floats(r, g.inputShape().size());
      float[] w = Rand.floats(r, g.weightShape().size());
      float[] b = Rand.floats(r, g.k());
      try (Parallel par = new Parallel(2)) {
        CpuGemm gemm = CpuGemm.forMachine(par, MicroKernels.best());
        float[] direct = new float[g.outputShape().size()];
        float[] im2col = new float[direct.length];
        new DirectForward(gemm).run(x, w, b, direct, g);
        new Im2colGemmForward(gemm).run(x, w, b, im2col, g);
        assertArrayEquals(im2col, direct, g.toString());
      }
    }
  }

  @Test
  void theGemmForwardEpilogueEqualsTheActivationPassBitForBit() {
    ConvGeometry g = ConvGeometry.of(3, 5, 9, 10, 13, ConvParams.of(3).withPadding(1));
    Random r = new Random(5);
    float[] x = Rand.floats(r, g.inputShape().size());
    float[] w = Rand.floats(r, g.weightShape().size());
    float[] b = Rand.floats(r, g.k());
    b[0] = Float.NaN; // filter 0's outputs are NaN: ReLU gives +0, leaky ReLU keeps NaN
    b[1] = -0f;
    Arrays.fill(w, 1 * taps(g), 2 * taps(g), 0f); // filter 1's outputs are -0
    for (Activation a : List.of(Activation.RELU, Activation.leakyRelu(0.1f))) {
      try (Parallel par = new Parallel(2)) {
        CpuGemm gemm = CpuGemm.forMachine(par, MicroKernels.best());
        float[] plain = new float[g.outputShape().size()];
        float[] fused = new float[plain.length];
        new Im2colGemmForward(gemm).run(x, w, b, plain, g);
        new Im2colGemmForward(gemm).run(x, w, b, fused, g, a);
        CpuElementwise.forward(par, RowKernels.best(), a, plain, plain);
        for (int i = 0; i < plain.length; i++) {
          assertEquals(
              Float.floatToRawIntBits(plain[i]),
              Float.floatToRawIntBits(fused[i]),
              a + ", element " + i + ": " + plain[i] + " against " + fused[i]);
        }
      }
    }
  }

  @Test
  void theBiasGradientIsTheSameForAnyThreadCountAndWithinItsBound() {
    Random r = new Random(3);
    int n = 5;
    int k = 7;
    int spatial = 23; // not a multiple of the 4 partials
    float[] dy = Rand.floats(r, n * k * spatial);
    double[] exact = RefConv.backwardBias(Numeric.toDouble(dy), n, k);
    float[] first = null;
    for (int threads = 1; threads <= 3; threads++) {
      float[] db = new float[k];
      try (Parallel par = new Parallel(threads)) {
        CpuConv.backwardBias(par, dy, n, k, spatial, db);
      }
      for (int i = 0; i < k; i++) {
        // Double partials, one float rounding at the end: within an ulp of the float result.
        assertTrue(Math.abs(db[i] - exact[i]) <= Math.ulp((float) exact[i]), "filter " + i);
      }
      if (first == null) {
        first = db;
      }
      assertArrayEquals(first, db, "threads " + threads);
    }
  }

  private static int taps(ConvGeometry g) {
    return CpuConvLowering.taps(g);
  }

  /**
   * The direct lowering of {@code pass} on a fresh engine with {@code threads} and {@code kernel}.
   */
  private static float[] run(
      int threads,
      MicroKernel kernel,
      float[] first,
      float[] second,
      float[] bias,
      ConvGeometry g,
      ConvPass pass) {
    int size =
        switch (pass) {
          case FORWARD -> g.outputShape().size();
          case BACKWARD_INPUT -> g.inputShape().size();
          case BACKWARD_FILTER -> g.weightShape().size();
        };
    float[] out = new float[size];
    Arrays.fill(out, Float.NaN);
    try (Parallel par = new Parallel(threads)) {
      CpuGemm gemm = CpuGemm.forMachine(par, kernel);
      CpuConvLowering l =
          switch (pass) {
            case FORWARD -> new DirectForward(gemm);
            case BACKWARD_INPUT -> new DirectFoldBackwardInput(gemm);
            case BACKWARD_FILTER -> new DirectBackwardFilter(gemm);
          };
      assertEquals(kernel.vectorized(), gemm.direct.vectorized(), "direct kernel of " + kernel);
      l.run(first, second, bias, out, g);
    }
    return out;
  }

  private static void checkBound(
      String ctx,
      ConvPass pass,
      ConvGeometry g,
      float[] x,
      float[] w,
      float[] b,
      float[] dy,
      float[] out) {
    double[] xd = Numeric.toDouble(x);
    double[] wd = Numeric.toDouble(w);
    double[] dyd = Numeric.toDouble(dy);
    double[] bd = Numeric.toDouble(b);
    double[] expected;
    double[] scale;
    switch (pass) {
      case FORWARD -> {
        expected = RefConv.forward(xd, wd, bd, g);
        scale = RefConv.forward(Numeric.abs(xd), Numeric.abs(wd), Numeric.abs(bd), g);
      }
      case BACKWARD_INPUT -> {
        expected = RefConv.backwardInput(dyd, wd, g);
        scale = RefConv.backwardInput(Numeric.abs(dyd), Numeric.abs(wd), g);
      }
      default -> {
        expected = RefConv.backwardFilter(xd, dyd, g);
        scale = RefConv.backwardFilter(Numeric.abs(xd), Numeric.abs(dyd), g);
      }
    }
    double gamma = ConvLoweringTest.gamma(ConvLoweringTest.terms(pass, g));
    for (int i = 0; i < expected.length; i++) {
      double bound = gamma * scale[i];
      assertTrue(
          Math.abs(out[i] - expected[i]) <= bound,
          ctx + ": element " + i + " = " + out[i] + ", exact " + expected[i] + ", bound " + bound);
    }
  }
}
