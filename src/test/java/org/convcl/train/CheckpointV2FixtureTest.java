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

/**
 * A version-2 checkpoint written byte by byte from docs/checkpoint-format.md by {@code
 * scripts/fixtures/make_checkpoint_v2.py} (Python, no ConvCL code), committed as {@code
 * src/test/resources/fixtures/checkpoint-v2.ccl}: a LeNet-like model trained with Adam for 2
 * epochs, with both epochs' metrics rows. The reader must return exactly the script's metadata,
 * metrics and tensors, the writer must encode them back to the same bytes, and a model and Adam
 * built from the stored spec must restore from it: a change of the reader or the writer (a field,
 * an order, the row format, the checksum) cannot pass unnoticed. Changing the format means a new
 * version and a new fixture, and this one must keep reading.
 */
class CheckpointV2FixtureTest {
  private static final String SPEC =
      "conv3x3x2-relu-maxpool2-conv3x3x3-relu-maxpool2-dense4-relu-dropout0.25-dense3";

  /** The parameters the script stores, with their shapes; the model has no buffers. */
  private static final List<Map.Entry<String, Shape>> PARAMS =
      List.of(
          Map.entry("0.conv3x3x2.weights", Shape.nchw(2, 1, 3, 3)),
          Map.entry("0.conv3x3x2.bias", Shape.of(2)),
          Map.entry("3.conv3x3x3.weights", Shape.nchw(3, 2, 3, 3)),
          Map.entry("3.conv3x3x3.bias", Shape.of(3)),
          Map.entry("6.dense4.weights", Shape.of(4, 12)),
          Map.entry("6.dense4.bias", Shape.of(4)),
          Map.entry("9.dense3.weights", Shape.of(3, 4)),
          Map.entry("9.dense3.bias", Shape.of(3)));

  /** The tensors of the file in order, with their shapes. */
  private static final List<Map.Entry<String, Shape>> TENSORS =
      CheckpointFixtures.adamTensors(PARAMS, List.of());

  /** The script's metrics rows, as text and as the values they stand for. */
  private static final List<String> ROWS =
      List.of(
          "1,0.00100000,1.098612,0.375000,1.012345,0.450000,2048.5,0.125",
          "2,0.000853553,0.954321,0.512500,0.876543,0.600000,2110.0,0.250");

  private static final List<EpochMetrics> HISTORY =
      List.of(
          new EpochMetrics(1, 0.001, 1.098612, 0.375, 1.012345, 0.45, 2048.5, 0.125),
          new EpochMetrics(2, 0.000853553, 0.954321, 0.5125, 0.876543, 0.6, 2110.0, 0.25));

  private static Path fixture() throws URISyntaxException {
    return CheckpointFixtures.path("checkpoint-v2.ccl");
  }

  @Test
  void readsTheDocumentedVersion2Fields() throws Exception {
    Checkpoint c = CheckpointIO.read(fixture());
    assertEquals(SPEC, c.spec());
    assertEquals(Shape.of(1, 14, 14), c.inputItem());
    assertEquals(List.of("circle", "square", "triangle"), c.classNames());
    assertArrayEquals(new float[] {0.25f}, c.normalization().mean());
    assertArrayEquals(new float[] {0.375f}, c.normalization().std());
    assertEquals(2, c.epoch());
    assertEquals(26, c.step());
    assertEquals(-8570200862721897295L, c.seed());
    assertEquals("adam", c.optimizer());
    assertEquals(26, c.optimizerStep());
    assertEquals(
        List.of(
            Map.entry("batch", "16"),
            Map.entry("data", "folder:./shapes"),
            Map.entry("epochs", "4"),
            Map.entry("lr", "0.001"),
            Map.entry("model", SPEC),
            Map.entry("schedule", "cosine"),
            Map.entry("schedule_epochs", "4")),
        List.copyOf(c.settings().entrySet()),
        "the settings in the file's (sorted) order");
    assertEquals(HISTORY, c.history());
    assertEquals(ROWS, c.history().stream().map(EpochMetrics::csv).toList());
    CheckpointFixtures.assertTensors(TENSORS, c);
  }

  @Test
  void theWriterEncodesItBackToTheSameBytes() throws Exception {
    byte[] fixture = Files.readAllBytes(fixture());
    assertEquals(2, CheckpointIO.VERSION, "a new version needs its own fixture");
    assertArrayEquals(fixture, CheckpointIO.encode(CheckpointIO.read(fixture())));
  }

  @Test
  void aModelAndAdamBuiltFromTheSpecRestoreFromIt() throws Exception {
    CheckpointFixtures.assertModelAndAdamRestore(CheckpointIO.read(fixture()), TENSORS);
  }
}
