package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Split;
import org.convcl.nn.Sequential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault at every file-system step of every epoch commit, thrown or as a kill, and then a resume
 * from whatever was left: the run must end with the checkpoint and metrics.csv of a run that was
 * never interrupted, byte for byte, and no temporary file.
 */
class EpochCommitTest {
  private static final String SPEC = "conv3x3x2-relu-maxpool2-dropout0.2-dense10";
  private static final int EPOCHS = 2;
  private static final OptimizerConfig SGD =
      Optimizer.sgd(0.05).withMomentum(0.9).withNesterov(true);
  private static Split data;
  private final CpuOps ops = new CpuOps();

  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    data = TrainFixtures.digits(64, 32);
  }

  @AfterEach
  void close() {
    ops.close();
  }

  /**
   * Epoch timings from a clock that ticks 1 ms per reading, so equal runs give equal files. Without
   * the warm-up: a resumed run would count its warm-up's readings in its first epoch, where the
   * clean run has none, and the files hold the timings.
   */
  private static void fixedClockNoWarmUp(Trainer t) {
    long[] now = {0};
    t.useClock(() -> now[0] += 1_000_000);
    t.withoutWarmUp();
  }

  /** Trains from scratch in {@code run} through {@code steps}; returns its fault-free count. */
  private void train(Path run, FileSteps steps) {
    try (Sequential m = TrainFixtures.model(ops, SPEC, 3);
        Trainer t =
            TrainFixtures.trainer(
                m, data, TrainFixtures.config(EPOCHS, 3, SGD, "cosine", run), SGD.create(), null)) {
      fixedClockNoWarmUp(t);
      t.useFileSteps(steps);
      t.fit(data, 0, 0);
    }
  }

  /** What the command line's --resume does: continue from the checkpoint, or start afresh. */
  private void resume(Path run) throws IOException {
    Path file = run.resolve(TrainConfig.CHECKPOINT_NAME);
    try (Sequential m = TrainFixtures.model(ops, SPEC, 3);
        Optimizer opt = SGD.create();
        Trainer t =
            TrainFixtures.trainer(
                m, data, TrainFixtures.config(EPOCHS, 3, SGD, "cosine", run), opt, null)) {
      fixedClockNoWarmUp(t);
      if (Files.exists(file)) {
        Checkpoint c = CheckpointIO.read(file);
        c.restoreModel(m);
        assertTrue(c.restoreOptimizer(m, opt));
        if (c.epoch() < EPOCHS) {
          t.resume(data, c);
        } else {
          EpochCommit.recover(run, c);
        }
      } else {
        t.fit(data, 0, 0);
      }
    }
  }

  @Test
  void everyFaultOfEveryEpochCommitIsRepairedByTheNextStart() throws IOException {
    Path clean = dir.resolve("clean");
    FaultyFileSteps counter = new FaultyFileSteps(0, FaultyFileSteps.Mode.THROW);
    train(clean, counter);
    byte[] checkpoint = Files.readAllBytes(clean.resolve(TrainConfig.CHECKPOINT_NAME));
    byte[] csv = Files.readAllBytes(clean.resolve(MetricsCsv.NAME));
    assertEquals(EPOCHS + 1, Files.readAllLines(clean.resolve(MetricsCsv.NAME)).size());
    // create, write, fsync, rename, fsync directory; for the checkpoint and the CSV; per epoch
    assertEquals(EPOCHS * 2 * 5, counter.count());
    for (FaultyFileSteps.Mode mode : FaultyFileSteps.Mode.values()) {
      for (int at = 1; at <= counter.count(); at++) {
        Path run = dir.resolve(mode + "-" + at);
        FaultyFileSteps faulty = new FaultyFileSteps(at, mode);
        String where = mode + " at step " + at;
        Throwable e =
            assertThrows(
                Throwable.class, () -> train(run, faulty), where + ": the fault must surface");
        assertTrue(
            e instanceof FaultyFileSteps.Killed || e instanceof UncheckedIOException,
            where + ": " + e);
        resume(run);
        assertArrayEquals(
            checkpoint,
            Files.readAllBytes(run.resolve(TrainConfig.CHECKPOINT_NAME)),
            where + ": checkpoint");
        assertEquals(
            new String(csv, java.nio.charset.StandardCharsets.UTF_8),
            Files.readString(run.resolve(MetricsCsv.NAME)),
            where + ": metrics.csv");
        try (Stream<Path> s = Files.list(run)) {
          List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
          assertEquals(
              List.of(TrainConfig.CHECKPOINT_NAME, MetricsCsv.NAME), names, where + ": files");
        }
      }
    }
  }

  @Test
  void theCheckpointCarriesTheMetricsOfEveryEpoch() throws IOException {
    Path run = dir.resolve("run");
    train(run, FileSteps.SYSTEM);
    Checkpoint c = CheckpointIO.read(run.resolve(TrainConfig.CHECKPOINT_NAME));
    assertEquals(MetricsCsv.read(run), c.history());
    assertEquals(EPOCHS, c.history().size());
  }

  @Test
  void onlyTemporaryFilesOfOurOwnNamingAreRemoved() throws IOException {
    Path run = Files.createDirectories(dir.resolve("run"));
    for (String name :
        new String[] {
          "checkpoint.ccl.123.tmp", "metrics.csv.9.tmp", "notes.tmp", "checkpoint.ccl.tmp", "x.csv"
        }) {
      Files.writeString(run.resolve(name), "x");
    }
    assertEquals(2, AtomicFile.removeOrphans(run, EpochCommit.ATOMIC_OUTPUTS));
    try (Stream<Path> s = Files.list(run)) {
      assertEquals(
          List.of("checkpoint.ccl.tmp", "notes.tmp", "x.csv"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
