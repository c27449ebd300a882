package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.convcl.impl.ConvCall;
import org.convcl.impl.Pass;
import org.convcl.ref.RefOps;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.convcl.tune.ConvWorkload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The direct depthwise passes against the double-precision reference, with both row kernels (the
 * scalar loops and this JVM's, SIMD under surefire), on seeded random depthwise geometries: kernel
 * 1 to 5 per side, stride 1 to 3, asymmetric padding, dilation 1 or 2, 1 to 3 filters per channel,
 * batch 1 to 3, odd sizes and rows wider than a 16-lane register, outputs poisoned with NaN and
 * held to {@link org.convcl.tune.Agreement}'s bound (the contract suite's), printed on failure.
 */
class DepthwiseDirectTest {
  private static CpuOps cpu;
  private static RefOps ref;
  private static Parallel parallel;

  @BeforeAll
  static void open() {
    cpu = new CpuOps(2);
    ref = new RefOps();
    parallel = new Parallel(2);
  }

  @AfterAll
  static void close() {
    cpu.close();
    ref.close();
    parallel.close();
  }

  static ConvGeometry geometry(Random r) {
    while (true) {
      int kh = Rand.between(r, 1, 5);
      int kw = Rand.between(r, 1, 5);
      ConvParams p =
          ConvParams.of(kh)
              .withKernel(kh, kw)
              .withStride(Rand.between(r, 1, 3), Rand.between(r, 1, 3))
              .withPadding(
                  new Padding(
                      Rand.between(r, 0, kh / 2 + 1),
                      Rand.between(r, 0, kh / 2),
                      Rand.between(r, 0, kw / 2 + 1),
                      Rand.between(r, 0, kw / 2)))
              .withDilation(Rand.between(r, 1, 2), Rand.between(r, 1, 2))
              .withBias(r.nextBoolean());
      int c = Rand.between(r, 1, 6);
      int h = Rand.between(r, 1, 23);
      int w = Rand.between(r, 1, 41);
      try {
        return ConvGeometry.of(
            Rand.between(r, 1, 3), c, h, w, c * Rand.between(r, 1, 3), p.withGroups(c));
      } catch (IllegalArgumentException tooSmall) {
        // the dilated kernel does not fit this input: draw again
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyPassWithEitherRowKernelAgreesWithTheReference() {
    Stream.Builder<DynamicTest> tests = Stream.builder();
    for (RowKernels rows : List.of(new ScalarRowKernels(), RowKernels.best())) {
      CpuConvLowering[] passes = lowerings(rows);
      for (long seed = 0; seed < 40; seed++) {
        ConvGeometry g = geometry(new Random(seed));
        for (CpuConvLowering l : passes) {
          long s = seed;
          tests.add(
              DynamicTest.dynamicTest(
                  rows.getClass().getSimpleName() + " " + l.pass() + " seed " + seed + " " + g,
                  () -> check(l, g, s)));
        }
      }
    }
    return tests.build();
  }

  private static CpuConvLowering[] lowerings(RowKernels rows) {
    CpuGemm gemm = CpuGemm.forMachine(parallel, MicroKernels.best());
    return new CpuConvLowering[] {
      new DepthwiseForward(gemm, rows),
      new DepthwiseBackwardInput(gemm, rows),
      new DepthwiseBackwardFilter(gemm, rows)
    };
  }

  private static void check(CpuConvLowering l, ConvGeometry g, long seed) {
    Pass pass =
        switch (l.pass()) {
          case FORWARD -> Pass.CONV_FORWARD;
          case BACKWARD_INPUT -> Pass.CONV_BACKWARD_INPUT;
          case BACKWARD_FILTER -> Pass.CONV_BACKWARD_FILTER;
        };
    try (ConvWorkload w = new ConvWorkload(cpu, ref, pass, g, seed)) {
      ConvCall c = w.call();
      String wrong =
          w.check(
              () ->
                  l.run(
                      floats(c.first()), floats(c.second()), floats(c.bias()), floats(c.out()), g));
      assertNull(wrong, () -> l + " seed " + seed + " on " + g);
    }
  }

  private static float[] floats(Tensor t) {
    return t == null ? null : ((CpuTensor) t).floats();
  }

  /**
   * The shipped choice table (cpu.json, from the measurements in docs/cpu.md) picks it for every
   * depthwise pass; grouped layers with more channels per group, and a one-channel ordinary layer
   * (LeNet's first), stay on the GEMM lowerings.
   */
  @Test
  void theShippedTableChoosesItForDepthwiseShapesOnly() {
    var registry = cpu.implementations().orElseThrow();
    ConvGeometry depthwise = ConvGeometry.of(2, 16, 19, 21, 32, ConvParams.of(3).withGroups(16));
    ConvGeometry grouped = ConvGeometry.of(2, 16, 19, 21, 32, ConvParams.of(3).withGroups(8));
    ConvGeometry firstLayer = ConvGeometry.of(2, 1, 28, 28, 20, ConvParams.of(5));
    for (Pass pass : Pass.values()) {
      assertEquals("depthwise-direct", registry.choose(pass, depthwise).choice().implementation());
      assertNotEquals("depthwise-direct", registry.choose(pass, grouped).choice().implementation());
      assertNotEquals(
          "depthwise-direct", registry.choose(pass, firstLayer).choice().implementation());
    }
  }

  /**
   * Steady-state depthwise passes allocate no arrays of the tensors' size, on any thread: what
   * remains per call is the column table (two int arrays of R entries), the tasks and lambdas. The
   * bound, 16 KiB per call, is a tenth of this geometry's output (8x32x28x28 floats, 800 KB).
   */
  @Test
  void steadyStatePassesAllocateAlmostNothing() {
    ConvGeometry g =
        ConvGeometry.of(8, 32, 28, 28, 32, ConvParams.of(3).withPadding(1).withGroups(32));
    Tensor x = cpu.upload(g.inputShape(), Rand.floats(new Random(1), g.inputShape().size()));
    Tensor w = cpu.upload(g.weightShape(), Rand.floats(new Random(2), g.weightShape().size()));
    Tensor y = cpu.allocate(g.outputShape(), org.convcl.tensor.DType.FLOAT32);
    Tensor dx = cpu.allocate(g.inputShape(), org.convcl.tensor.DType.FLOAT32);
    Tensor dw = cpu.allocate(g.weightShape(), org.convcl.tensor.DType.FLOAT32);
    Runnable step =
        () -> {
          cpu.convForward(x, w, null, y, g);
          cpu.convBackwardInput(y, w, dx, g);
          cpu.convBackwardFilter(x, y, dw, g);
        };
    for (int i = 0; i < 5; i++) {
      step.run();
    }
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = allThreads(mx);
    int calls = 20;
    for (int i = 0; i < calls; i++) {
      step.run();
    }
    long perCall = (allThreads(mx) - before) / (3L * calls);
    assertTrue(perCall < 16 * 1024, perCall + " bytes allocated per depthwise pass");
    for (Tensor t : new Tensor[] {x, w, y, dx, dw}) {
      t.close();
    }
  }

  private static long allThreads(com.sun.management.ThreadMXBean mx) {
    long total = 0;
    for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
      total += Math.max(0, b);
    }
    return total;
  }

  /** It claims exactly the geometries with one input channel per group. */
  @Test
  void appliesOnlyToOneChannelPerGroup() {
    CpuConvLowering f = new DepthwiseForward(null, new ScalarRowKernels());
    assertTrue(f.applies(ConvGeometry.of(1, 8, 9, 9, 16, ConvParams.of(3).withGroups(8))));
    assertTrue(f.applies(ConvGeometry.of(1, 1, 9, 9, 3, ConvParams.of(3))));
    assertFalse(f.applies(ConvGeometry.of(1, 8, 9, 9, 8, ConvParams.of(3).withGroups(4))));
    assertFalse(f.applies(ConvGeometry.of(1, 8, 9, 9, 8, ConvParams.of(3))));
  }
}
