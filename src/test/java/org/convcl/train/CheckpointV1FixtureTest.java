package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convcl.cpu.CpuOps;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version-1 checkpoint written byte by byte from docs/checkpoint-format.md by {@code
 * scripts/fixtures/make_checkpoint_v1.py} (Python, no ConvCL code), committed as {@code
 * src/test/resources/fixtures/checkpoint-v1.ccl}. The reader must return exactly the script's
 * metadata and tensors, the writer must encode them back to the same bytes, and a model and Adam
 * built from the stored spec must restore from it: a change of the format (a field, an order, the
 * checksum) cannot pass unnoticed. Changing the format means a new version and a new fixture, and
 * this one must keep reading.
 */
class CheckpointV1FixtureTest {
  private static final String SPEC = "conv3x3x2-bn-relu-maxpool2-dense3";

  /** The tensors of the file in order, with their shapes. */
  private static final List<Map.Entry<String, Shape>> TENSORS =
      List.of(
          Map.entry("param/0.conv3x3x2.weights", Shape.nchw(2, 1, 3, 3)),
          Map.entry("param/0.conv3x3x2.bias", Shape.of(2)),
          Map.entry("param/1.bn.gamma", Shape.of(2)),
          Map.entry("param/1.bn.beta", Shape.of(2)),
          Map.entry("param/4.dense3.weights", Shape.of(3, 8)),
          Map.entry("param/4.dense3.bias", Shape.of(3)),
          Map.entry("buffer/1.bn.runningMean", Shape.of(2)),
          Map.entry("buffer/1.bn.runningVar", Shape.of(2)),
          Map.entry("optim/0.conv3x3x2.weights.m", Shape.nchw(2, 1, 3, 3)),
          Map.entry("optim/0.conv3x3x2.weights.v", Shape.nchw(2, 1, 3, 3)),
          Map.entry("optim/0.conv3x3x2.bias.m", Shape.of(2)),
          Map.entry("optim/0.conv3x3x2.bias.v", Shape.of(2)),
          Map.entry("optim/1.bn.gamma.m", Shape.of(2)),
          Map.entry("optim/1.bn.gamma.v", Shape.of(2)),
          Map.entry("optim/1.bn.beta.m", Shape.of(2)),
          Map.entry("optim/1.bn.beta.v", Shape.of(2)),
          Map.entry("optim/4.dense3.weights.m", Shape.of(3, 8)),
          Map.entry("optim/4.dense3.weights.v", Shape.of(3, 8)),
          Map.entry("optim/4.dense3.bias.m", Shape.of(3)),
          Map.entry("optim/4.dense3.bias.v", Shape.of(3)));

  /** The script's value(t, i): element i of the t-th tensor. */
  private static float value(int t, int i) {
    return ((i * 7 + t * 3) % 23 - 11) / 16f;
  }

  private static Path fixture() throws URISyntaxException {
    return Path.of(
        CheckpointV1FixtureTest.class.getResource("/fixtures/checkpoint-v1.ccl").toURI());
  }

  @Test
  void readsTheDocumentedVersion1Fields() throws Exception {
    Checkpoint c = CheckpointIO.read(fixture());
    assertEquals(SPEC, c.spec());
    assertEquals(Shape.of(1, 6, 6), c.inputItem());
    assertEquals(List.of("zero", "one", "two"), c.classNames());
    assertArrayEquals(new float[] {0.125f}, c.normalization().mean());
    assertArrayEquals(new float[] {0.3125f}, c.normalization().std());
    assertEquals(2, c.epoch());
    assertEquals(14, c.step());
    assertEquals(-1234567890123L, c.seed());
    assertEquals("adam", c.optimizer());
    assertEquals(14, c.optimizerStep());
    assertEquals(
        Map.of(
            "batch", "8",
            "data", "mnist",
            "epochs", "3",
            "lr", "0.001",
            "model", SPEC,
            "schedule", "constant",
            "schedule_epochs", "3"),
        c.settings());
    assertEquals(TENSORS.size(), c.tensors().size());
    for (int t = 0; t < TENSORS.size(); t++) {
      NamedArray a = c.tensors().get(t);
      assertEquals(TENSORS.get(t).getKey(), a.name(), "tensor " + t);
      assertEquals(TENSORS.get(t).getValue(), a.shape(), a.name());
      for (int i = 0; i < a.data().length; i++) {
        assertEquals(value(t, i), a.data()[i], a.name() + " element " + i);
      }
    }
  }

  /**
   * The writer writes the current version (2, with the epochs' metrics); what it writes of a
   * version-1 checkpoint reads back with the same contents and no metrics.
   */
  @Test
  void rewritingItGivesACurrentVersionFileWithTheSameContents(@TempDir Path dir) throws Exception {
    Checkpoint v1 = CheckpointIO.read(fixture());
    byte[] bytes = CheckpointIO.encode(v1);
    assertEquals(CheckpointIO.VERSION, java.nio.ByteBuffer.wrap(bytes, 8, 4).getInt());
    Path rewritten = Files.write(dir.resolve("v2.ccl"), bytes);
    Checkpoint back = CheckpointIO.read(rewritten);
    assertEquals(v1.spec(), back.spec());
    assertEquals(v1.settings(), back.settings());
    assertEquals(v1.epoch(), back.epoch());
    assertEquals(v1.tensors().size(), back.tensors().size());
    for (int t = 0; t < v1.tensors().size(); t++) {
      assertEquals(v1.tensors().get(t).name(), back.tensors().get(t).name());
      assertArrayEquals(v1.tensors().get(t).data(), back.tensors().get(t).data());
    }
  }

  @Test
  void aModelAndAdamBuiltFromTheSpecRestoreFromIt() throws Exception {
    Checkpoint c = CheckpointIO.read(fixture());
    try (CpuOps ops = new CpuOps(1);
        Sequential m = ModelSpec.build(ops, c.spec(), c.inputItem(), 99);
        Optimizer adam = Optimizer.adam(0.001).create()) {
      c.restoreModel(m);
      assertTrue(c.restoreOptimizer(m, adam));
      assertEquals(14, adam.stepCount());
      List<Param> params = m.params();
      for (int t = 0; t < params.size(); t++) {
        float[] restored = ops.read(params.get(t).value());
        for (int i = 0; i < restored.length; i++) {
          assertEquals(value(t, i), restored[i], params.get(t).name() + " element " + i);
        }
      }
    }
  }
}
