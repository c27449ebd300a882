package org.convcl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convcl.cpu.CpuOps;
import org.convcl.ops.DeviceMemoryException;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
  private final CpuOps ops = new CpuOps();

  @AfterEach
  void close() {
    ops.close();
  }

  @Test
  void aLayerTooLargeForTheHeapIsADeviceMemoryErrorNamingItsToken() {
    // 2 * 10^9 floats = 8 GB, more than the test heap: refused before trying, naming the layer.
    DeviceMemoryException e =
        assertThrows(
            DeviceMemoryException.class,
            () -> ModelSpec.build(ops, "flatten-dense2000000000", Shape.of(1, 1, 1), 1));
    assertTrue(e.getMessage().contains("dense2000000000 weights"), e.getMessage());
  }

  @Test
  void summaryFromShapesMatchesTheBuiltModel() {
    String spec = "conv3x3x8p1-bn-relu-maxpool2-conv1x1x4nobias-flatten-dense10-dropout0.5";
    Shape in = Shape.of(3, 8, 8);
    try (Sequential m = ModelSpec.build(ops, spec, in, 1)) {
      long allocated = m.params().stream().mapToLong(p -> p.value().shape().size()).sum();
      ModelSummary s = ModelSpec.summary(spec, in);
      assertEquals(allocated, s.totalParams());
      assertEquals(m.summary(), s);
    }
  }

  @Test
  void lenetParsesAndRoundTrips() {
    try (Sequential m = ModelSpec.build(ops, Models.spec("lenet"), Shape.of(1, 28, 28), 1)) {
      assertEquals(Models.LENET, m.spec());
      assertEquals(Shape.of(10), m.outputItem());
      ModelSummary s = m.summary();
      // conv1 20*25+20, conv2 50*20*25+50, dense 800*500+500, dense 500*10+10
      assertEquals(520 + 25050 + 400500 + 5010, s.totalParams());
      assertEquals(2L * 20 * 24 * 24 * 25, s.rows().get(0).flops());
      assertEquals(Shape.of(50, 4, 4), s.rows().get(5).output());
      assertTrue(s.format().contains("dense500"), s.format());
    }
  }

  @Test
  void cifarBuiltInFitsItsInput() {
    try (Sequential m =
        ModelSpec.build(ops, Models.spec("cifar"), Models.designedInput("cifar"), 1)) {
      assertEquals(Shape.of(10), m.outputItem());
      assertEquals(Shape.of(128, 4, 4), m.summary().rows().get(11).output());
      assertEquals(1, m.layers().stream().filter(l -> l instanceof Dropout).count());
    }
  }

  @Test
  void everyTokenKindRoundTrips() {
    String spec =
        "conv3x3x8s2p1d2-bn-lrelu0.1-maxpool3s2p1-avgpool2-conv1x1x4nobias-tanh-flatten"
            + "-dropout0.25-dense6-sigmoid-dense3";
    try (Sequential m = ModelSpec.build(ops, spec, Shape.of(2, 20, 20), 2)) {
      assertEquals(spec, m.spec());
    }
  }

  @Test
  void builderMatchesSpec() {
    List<Layer> layers = Sequential.builder().conv(5, 20).relu().maxPool(2).dense(10).layers();
    String spec = String.join("-", layers.stream().map(Layer::spec).toList());
    assertEquals("conv5x5x20-relu-maxpool2-dense10", spec);
    layers.forEach(Layer::close);
  }

  @Test
  void unknownTokenIsUnderlined() {
    SpecException e =
        assertThrows(SpecException.class, () -> ModelSpec.parse("conv5x5x20-relu-pool2-dense10"));
    assertEquals(3, e.tokenIndex());
    assertTrue(e.getMessage().contains("\"pool2\""), e.getMessage());
    assertTrue(
        e.getMessage().contains("\n" + " ".repeat(2 + 16) + "^^^^^\n")
            || e.getMessage().endsWith("\n" + " ".repeat(2 + 16) + "^^^^^"),
        e.getMessage());
  }

  @Test
  void malformedConvExplainsTheGrammar() {
    SpecException e = assertThrows(SpecException.class, () -> ModelSpec.parse("conv5x5-dense10"));
    assertEquals(1, e.tokenIndex());
    assertTrue(e.getMessage().contains("conv<R>x<S>x<K>"), e.getMessage());
  }

  @Test
  void emptyTokenIsReported() {
    SpecException e = assertThrows(SpecException.class, () -> ModelSpec.parse("relu--dense10"));
    assertEquals(2, e.tokenIndex());
  }

  @Test
  void layerThatDoesNotFitPointsAtItsToken() {
    SpecException e =
        assertThrows(
            SpecException.class,
            () ->
                ModelSpec.build(
                    ops, "conv5x5x4-maxpool2-conv9x9x8-dense10", Shape.of(1, 12, 12), 1));
    assertEquals(3, e.tokenIndex());
    assertTrue(e.getMessage().contains("conv9x9x8"), e.getMessage());
    assertEquals(0, ops.liveBuffers(), "a failed build must release what it allocated");
  }

  @Test
  void sameSeedSameWeights() {
    try (Sequential a = ModelSpec.build(ops, "conv3x3x4-relu-dense3", Shape.of(1, 5, 5), 7);
        Sequential b = ModelSpec.build(ops, "conv3x3x4-relu-dense3", Shape.of(1, 5, 5), 7)) {
      for (int i = 0; i < a.params().size(); i++) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(
            ops.read(a.params().get(i).value()), ops.read(b.params().get(i).value()));
      }
    }
  }

  @Test
  void heInitHasTheRightSpread() {
    float[] w = WeightInit.HE.sample(new java.util.Random(3), 20000, 50, 10, () -> "test");
    double sq = 0;
    for (float v : w) {
      sq += v * v;
    }
    double std = Math.sqrt(sq / w.length);
    assertEquals(Math.sqrt(2.0 / 50), std, 0.01, "seed 3");
  }

  @Test
  void modelGradientMatchesFiniteDifferences() {
    // The whole chain, through the Sequential plumbing (views, skipped first gradInput).
    List<Layer> layers = ModelSpec.parse("conv3x3x3-tanh-maxpool2-dense4-sigmoid-dense3");
    try (Sequential m = Sequential.build(ops, Shape.of(2, 6, 6), layers, 5);
        ModelAsLayer l = new ModelAsLayer(m)) {
      GradCheck.check(ops, l, Shape.nchw(2, 2, 6, 6), 81, false, true);
    }
  }
}
