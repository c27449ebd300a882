package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Dataset;
import org.convcl.data.Normalization;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Sequential;
import org.convcl.tensor.Shape;
import org.convcl.testutil.Allocation;
import org.convcl.testutil.Required;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a checkpoint reader trusts, and when: nothing a file says before it has been checked. */
class CheckpointReadingTest {
  private static final String SPEC = "conv3x3x2-bn-relu-dense3";
  private static final Shape INPUT = Shape.of(1, 4, 4);
  private final CpuOps ops = new CpuOps();
  @TempDir Path dir;

  @AfterEach
  void close() {
    ops.close();
  }

  private static Checkpoint bare(String spec, Shape input, List<NamedArray> tensors) {
    return new Checkpoint(
        spec,
        input,
        Dataset.digits(),
        new Normalization(new float[] {0.5f}, new float[] {0.25f}),
        1,
        1,
        1,
        "none",
        0,
        Map.of(),
        tensors);
  }

  private Checkpoint captured() {
    try (Sequential m = ModelSpec.build(ops, SPEC, INPUT, 5)) {
      return Checkpoint.capture(
          m, null, List.of("a", "b", "c"), Normalization.of(fake()), 1, 1, 5, Map.of());
    }
  }

  private static Dataset fake() {
    return new Dataset("x", new byte[16], new int[] {0}, INPUT, List.of("a", "b", "c"));
  }

  private Path write(String name, Checkpoint c) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, CheckpointIO.encode(c));
    return f;
  }

  @Test
  void aSmallFileDeclaringAHugeModelIsRefusedBeforeAnyModelIsBuilt() throws IOException {
    // 1.2 billion parameters declared (4.8 GB), none stored: a few hundred bytes in all.
    Path f = write("huge.ccl", bare("dense20000-dense20000-dense20000-dense10", INPUT, List.of()));
    assertTrue(Files.size(f) < 600, Files.size(f) + " bytes");
    long bytes =
        Allocation.bytes(
            () -> {
              CheckpointException e =
                  assertThrows(CheckpointException.class, () -> CheckpointIO.read(f));
              assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
              assertTrue(
                  e.getMessage().contains("declares 340,000 parameters for layer 0"),
                  e.getMessage());
            });
    assertTrue(bytes < 20_000_000, bytes + " bytes allocated");
  }

  @Test
  void tensorsThatDoNotMatchTheSpecAreRefusedAtReading() throws IOException {
    List<NamedArray> extra = new ArrayList<>(captured().tensors());
    extra.add(new NamedArray("param/2.dense3.extra", Shape.of(2), new float[2]));
    assertTrue(
        assertThrows(
                CheckpointException.class,
                () -> CheckpointIO.read(write("extra.ccl", bare(SPEC, INPUT, extra))))
            .getMessage()
            .contains("layer 2"));
    List<NamedArray> doubled = new ArrayList<>(captured().tensors());
    doubled.add(doubled.get(0));
    assertTrue(
        assertThrows(
                CheckpointException.class,
                () -> CheckpointIO.read(write("twice.ccl", bare(SPEC, INPUT, doubled))))
            .getMessage()
            .contains("stored twice"));
    List<NamedArray> odd = new ArrayList<>(captured().tensors());
    odd.add(new NamedArray("weird/0", Shape.of(1), new float[1]));
    assertTrue(
        assertThrows(
                CheckpointException.class,
                () -> CheckpointIO.read(write("odd.ccl", bare(SPEC, INPUT, odd))))
            .getMessage()
            .contains("unknown role"));
  }

  @Test
  void unknownBuffersAndOptimizerStateAreRefusedAtRestoring() throws IOException {
    List<NamedArray> extra = new ArrayList<>(captured().tensors());
    extra.add(new NamedArray("buffer/1.bn.runningSomething", Shape.of(2), new float[2]));
    Checkpoint c = CheckpointIO.read(write("buffer.ccl", bare(SPEC, INPUT, extra)));
    try (Sequential m = ModelSpec.build(ops, SPEC, INPUT, 1)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> c.restoreModel(m));
      assertTrue(e.getMessage().contains("buffer/1.bn.runningSomething"), e.getMessage());
    }
  }

  @Test
  void aBadSpecInsideACheckpointNamesTheFile() throws IOException {
    Path f = write("spec.ccl", bare("conv5x5x20-pool2", INPUT, List.of()));
    CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.read(f));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("pool2"), e.getMessage());
  }

  @Test
  void directoriesAndPipesAreRefusedAtOnce() throws Exception {
    assertTrue(
        assertThrows(CheckpointException.class, () -> CheckpointIO.read(dir))
            .getMessage()
            .contains("is a directory"));
    Path fifo = Required.fifo(dir.resolve("fifo.ccl"));
    CheckpointException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> assertThrows(CheckpointException.class, () -> CheckpointIO.read(fifo)));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }

  @Test
  void theMagicIsCheckedBeforeTheRestIsRead() throws IOException {
    Path f = dir.resolve("big.bin");
    Files.write(f, new byte[64 << 20]);
    long bytes =
        Allocation.bytes(
            () ->
                assertTrue(
                    assertThrows(CheckpointException.class, () -> CheckpointIO.read(f))
                        .getMessage()
                        .contains("bad magic")));
    assertTrue(bytes < 8_000_000, bytes + " bytes allocated for a 64 MiB file");
  }

  @Test
  void versionOneIsStillRead() throws Exception {
    // Written by the version-1 writer (commit 0343ffe): conv3x3x2-bn-relu-dense3 on 1x4x4,
    // SGD with momentum, epoch 2, step 6, seed 9.
    Path f = Path.of(getClass().getResource("/checkpoints/version1.ccl").toURI());
    Checkpoint c = CheckpointIO.read(f);
    assertEquals(SPEC, c.spec());
    assertEquals(2, c.epoch());
    assertEquals(6, c.step());
    assertEquals(9, c.seed());
    assertEquals(List.of(), c.history());
    try (Sequential m = ModelSpec.build(ops, c.spec(), c.inputItem(), 1);
        Optimizer sgd = Optimizer.sgd(0.1).withMomentum(0.9).create()) {
      c.restoreModel(m);
      assertTrue(c.restoreOptimizer(m, sgd));
    }
  }

  @Test
  void theHistoryRoundTrips() throws IOException {
    EpochMetrics m = new EpochMetrics(1, 0.01, 2.5, 0.25, 2.25, 0.5, 1234.5, 6.25);
    Checkpoint c = captured().withHistory(List.of(m));
    Checkpoint back = CheckpointIO.read(write("h.ccl", c));
    assertEquals(List.of(m), back.history());
  }
}
