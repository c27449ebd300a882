package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Dataset;
import org.convcl.data.Normalization;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Sequential;
import org.convcl.ops.AdamConfig;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointIOTest {
  private static final String SPEC = "conv3x3x4-bn-relu-maxpool2-dense10";
  private final CpuOps ops = new CpuOps();
  @TempDir Path dir;
  private Path file;
  private Checkpoint written;

  @BeforeEach
  void write() throws IOException {
    try (Sequential m = ModelSpec.build(ops, SPEC, Shape.of(1, 8, 8), 3);
        Adam adam = new Adam(AdamConfig.defaults(0.01f))) {
      adam.setStepCount(42);
      Normalization norm = new Normalization(new float[] {0.1f}, new float[] {0.3f});
      written =
          Checkpoint.capture(
              m, adam, Dataset.digits(), norm, 4, 123, 77, Map.of("lr", "0.01", "model", SPEC));
      file = dir.resolve("c.ccl");
      CheckpointIO.write(file, written);
    }
  }

  @AfterEach
  void close() {
    ops.close();
  }

  @Test
  void roundTrip() throws IOException {
    Checkpoint c = CheckpointIO.read(file);
    assertEquals(SPEC, c.spec());
    assertEquals(Shape.of(1, 8, 8), c.inputItem());
    assertEquals(4, c.epoch());
    assertEquals(123, c.step());
    assertEquals(77, c.seed());
    assertEquals("adam", c.optimizer());
    assertEquals(42, c.optimizerStep());
    assertEquals("0.01", c.settings().get("lr"));
    assertEquals(written.normalization(), c.normalization());
    assertEquals(written.tensors().size(), c.tensors().size());
    for (int i = 0; i < c.tensors().size(); i++) {
      assertEquals(written.tensors().get(i).name(), c.tensors().get(i).name());
      assertArrayEquals(written.tensors().get(i).data(), c.tensors().get(i).data());
    }
    assertTrue(c.tensors().stream().anyMatch(a -> a.name().startsWith("buffer/1.bn.runningVar")));
    assertTrue(c.tensors().stream().anyMatch(a -> a.name().endsWith(".m")));
    try (var s = Files.list(dir)) {
      assertEquals(List.of(file), s.toList(), "no temporary file may be left behind");
    }
    try (Sequential m = ModelSpec.build(ops, c.spec(), c.inputItem(), 999);
        Adam adam = new Adam(AdamConfig.defaults(0.01f))) {
      c.restoreModel(m);
      assertTrue(c.restoreOptimizer(m, adam));
      assertEquals(42, adam.stepCount());
      Checkpoint again =
          Checkpoint.capture(m, adam, c.classNames(), c.normalization(), 4, 123, 77, c.settings());
      assertArrayEquals(CheckpointIO.encode(c), CheckpointIO.encode(again));
    }
  }

  @Test
  void nonFiniteTensorsAndNormalizationAreRefused() {
    List<NamedArray> tensors = new java.util.ArrayList<>(written.tensors());
    NamedArray first = tensors.get(0);
    float[] data = first.data().clone();
    data[2] = Float.NaN;
    tensors.set(0, new NamedArray(first.name(), first.shape(), data));
    Checkpoint nan =
        new Checkpoint(
            written.spec(),
            written.inputItem(),
            written.classNames(),
            written.normalization(),
            written.epoch(),
            written.step(),
            written.seed(),
            written.optimizer(),
            written.optimizerStep(),
            written.settings(),
            tensors);
    try (Sequential m = ModelSpec.build(ops, SPEC, Shape.of(1, 8, 8), 3)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> nan.restoreModel(m));
      assertTrue(e.getMessage().contains(first.name() + " element 2 = NaN"), e.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> new Normalization(new float[] {Float.POSITIVE_INFINITY}, new float[] {1f}));
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Checkpoint(
                    written.spec(),
                    written.inputItem(),
                    written.classNames(),
                    written.normalization(),
                    -1,
                    0,
                    0,
                    "none",
                    0,
                    Map.of(),
                    List.of()));
    assertTrue(negative.getMessage().contains("checkpoint epoch = -1"), negative.getMessage());
  }

  @Test
  void everyFlippedByteIsRefused() throws IOException {
    byte[] good = Files.readAllBytes(file);
    Random r = new Random(5);
    for (int trial = 0; trial < 40; trial++) {
      byte[] bad = good.clone();
      int at = r.nextInt(bad.length);
      bad[at] ^= (byte) (1 << r.nextInt(8));
      Files.write(file, bad);
      CheckpointException e =
          assertThrows(
              CheckpointException.class, () -> CheckpointIO.read(file), "seed 5, byte " + at);
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
  }

  @Test
  void flippedTensorByteNamesTheChecksum() throws IOException {
    byte[] bad = Files.readAllBytes(file);
    bad[bad.length / 2] ^= 0x10;
    Files.write(file, bad);
    CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.read(file));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  @Test
  void truncationIsRefused() throws IOException {
    byte[] good = Files.readAllBytes(file);
    for (int len : new int[] {0, 5, 30, good.length / 2, good.length - 1}) {
      Files.write(file, Arrays.copyOf(good, len));
      CheckpointException e =
          assertThrows(CheckpointException.class, () -> CheckpointIO.read(file), "length " + len);
      assertTrue(
          e.getMessage().contains("truncated") || e.getMessage().contains("magic"), e.getMessage());
    }
  }

  @Test
  void otherFilesAndVersionsAreRefused() throws IOException {
    Files.writeString(file, "hello, this is not a checkpoint at all, no");
    assertTrue(
        assertThrows(CheckpointException.class, () -> CheckpointIO.read(file))
            .getMessage()
            .contains("bad magic"));
    byte[] v3 = CheckpointIO.encode(written);
    v3[11] = 3;
    Files.write(file, v3);
    assertTrue(
        assertThrows(CheckpointException.class, () -> CheckpointIO.read(file))
            .getMessage()
            .contains("version 3"));
    assertThrows(CheckpointException.class, () -> CheckpointIO.read(dir.resolve("missing.ccl")));
  }
}
