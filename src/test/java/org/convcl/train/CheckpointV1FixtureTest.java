package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version-1 checkpoint written byte by byte from docs/checkpoint-format.md by {@code
 * scripts/fixtures/make_checkpoint_v1.py} (Python, no ConvCL code), committed as {@code
 * src/test/resources/fixtures/checkpoint-v1.ccl}. The reader must return exactly the script's
 * metadata and tensors (and no metrics), the writer must carry them over to a current-version file,
 * and a model and Adam built from the stored spec must restore from it: a change of the reader (a
 * field, an order, the checksum) cannot pass unnoticed. Changing the format means a new version and
 * a new fixture ({@link CheckpointV2FixtureTest}), and this one must keep reading.
 */
class CheckpointV1FixtureTest {
  private static final String SPEC = "conv3x3x2-bn-relu-maxpool2-dense3";

  /** The parameters and buffers the script stores, with their shapes. */
  private static final List<Map.Entry<String, Shape>> PARAMS =
      List.of(
          Map.entry("0.conv3x3x2.weights", Shape.nchw(2, 1, 3, 3)),
          Map.entry("0.conv3x3x2.bias", Shape.of(2)),
          Map.entry("1.bn.gamma", Shape.of(2)),
          Map.entry("1.bn.beta", Shape.of(2)),
          Map.entry("4.dense3.weights", Shape.of(3, 8)),
          Map.entry("4.dense3.bias", Shape.of(3)));

  private static final List<Map.Entry<String, Shape>> BUFFERS =
      List.of(
          Map.entry("1.bn.runningMean", Shape.of(2)), Map.entry("1.bn.runningVar", Shape.of(2)));

  /** The tensors of the file in order, with their shapes. */
  private static final List<Map.Entry<String, Shape>> TENSORS =
      CheckpointFixtures.adamTensors(PARAMS, BUFFERS);

  private static Path fixture() throws URISyntaxException {
    return CheckpointFixtures.path("checkpoint-v1.ccl");
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
    assertEquals(List.of(), c.history());
    CheckpointFixtures.assertTensors(TENSORS, c);
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
    CheckpointFixtures.assertModelAndAdamRestore(CheckpointIO.read(fixture()), TENSORS);
  }
}
