package org.convcl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.List;
import org.convcl.cli.CliTest.Result;
import org.convcl.testutil.Required;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `convcl train` checks about its run directory before it trains. */
class RunDirectoryTest {
  @TempDir Path dir;

  /** {@code epochs} epochs of 128 digits on a tiny model into {@code run}. */
  static Result trainEpochs(Path run, String epochs, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--model",
                "conv3x3x4-relu-maxpool2-dense10",
                "--train-limit",
                "128",
                "--test-limit",
                "64",
                "--epochs",
                epochs,
                "--run-dir",
                run.toString(),
                "--no-progress",
                "--quiet"));
    args.addAll(List.of(more));
    return CliTest.cpu("train", args.toArray(String[]::new));
  }

  @Test
  void aLockedRunDirectoryIsRefusedAtOnceNamingTheHolder() throws IOException {
    Path run = Files.createDirectories(dir.resolve("run"));
    try (RunLock held = RunLock.tryAcquire(run)) {
      assertNotNull(held);
      Result r = trainEpochs(run, "1");
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("is in use by convcl train, pid "), r.err());
      assertTrue(r.err().contains(" " + ProcessHandle.current().pid() + " on "), r.err());
      assertFalse(r.out().contains("epoch 1/1"), r.out());
    }
    assertEquals(0, trainEpochs(run, "1").code(), "the lock is released when its holder closes it");
    assertEquals(0, trainEpochs(run, "1", "--overwrite").code(), "and by a finished run");
  }

  @Test
  void aFreshRunIntoADirectoryHoldingARunIsRefusedUnlessOverwriteOrResume() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, trainEpochs(run, "1").code());
    byte[] kept = Files.readAllBytes(run.resolve("checkpoint.ccl"));
    Result again = trainEpochs(run, "1", "--seed", "2");
    assertEquals(2, again.code(), again.err());
    assertTrue(again.err().contains("already holds a run"), again.err());
    assertTrue(again.err().contains("--resume " + run), again.err());
    assertTrue(again.err().contains("--overwrite"), again.err());
    assertArrayEquals(kept, Files.readAllBytes(run.resolve("checkpoint.ccl")));
    Result over = trainEpochs(run, "1", "--seed", "2", "--overwrite");
    assertEquals(0, over.code(), over.err());
    assertEquals(2, Files.readAllLines(run.resolve("metrics.csv")).size());
    Result both = trainEpochs(run, "2", "--resume", run.toString(), "--overwrite");
    assertEquals(2, both.code(), both.err());
    assertTrue(both.err().contains("--overwrite would delete"), both.err());
  }

  @Test
  void unwritableRunDirectoriesAreUsageErrorsBeforeTheFirstEpoch() throws IOException {
    Path file = Files.writeString(dir.resolve("afile"), "x");
    Result f = trainEpochs(file, "1");
    assertEquals(2, f.code(), f.err());
    assertTrue(f.err().contains(file + " is a file, not a directory"), f.err());
    assertFalse(f.out().contains("epoch 1/1"), f.out());

    Path run = dir.resolve("run");
    Files.createDirectories(run.resolve("metrics.csv"));
    Result m = trainEpochs(run, "1");
    assertEquals(2, m.code(), m.err());
    assertTrue(m.err().contains(run.resolve("metrics.csv") + " is a directory"), m.err());
    assertFalse(m.out().contains("epoch 1/1"), m.out());

    Path ro = Files.createDirectories(dir.resolve("readonly"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    // Root writes through permissions (CI runs as root): there the immutable attribute, which
    // stops root too, makes the directory unwritable.
    boolean immutable = Files.isWritable(ro) && chattr("+i", ro);
    try {
      Required.that(
          !Files.isWritable(ro) || immutable,
          "neither permissions nor chattr +i make " + ro + " unwritable for this user");
      Result r = trainEpochs(ro, "1");
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains(ro + " is not writable"), r.err());
    } finally {
      if (immutable) {
        chattr("-i", ro);
      }
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** Runs {@code chattr flag dir}; true when it succeeded. */
  private static boolean chattr(String flag, Path dir) {
    try {
      Process p =
          new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false; // no chattr on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void aRunThatFailsBeforeItsFirstEpochLeavesNoDirectoryItCreated() throws IOException {
    Path fresh = dir.resolve("fresh");
    Result r = trainEpochs(fresh, "1", "--data", "mnist:" + dir.resolve("none"));
    assertEquals(1, r.code(), r.err());
    assertFalse(Files.exists(fresh), "left behind: " + fresh);
    Path existing = Files.createDirectories(dir.resolve("existing"));
    trainEpochs(existing, "1", "--data", "mnist:" + dir.resolve("none"));
    assertTrue(Files.isDirectory(existing), "a directory the user made stays");
  }

  @Test
  void defaultNamesAreUniqueWithinOneSecond() throws IOException {
    Path runs = dir.resolve("runs");
    LocalDateTime t = LocalDateTime.of(2026, 12, 1, 9, 30, 5);
    assertEquals(runs.resolve("20261201-093005"), RunDirectory.createDefault(runs, t));
    assertEquals(runs.resolve("20261201-093005-2"), RunDirectory.createDefault(runs, t));
    assertEquals(runs.resolve("20261201-093005-3"), RunDirectory.createDefault(runs, t));
  }

  @Test
  void resumingRebuildsTheMetricsRowAndChartACrashLost() throws IOException {
    // The state a kill between the last checkpoint's rename and the metrics write leaves.
    Path run = dir.resolve("run");
    assertEquals(0, trainEpochs(run, "2").code());
    List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
    byte[] chart = Files.readAllBytes(run.resolve("curves.png"));
    Files.write(run.resolve("metrics.csv"), rows.subList(0, 2));
    Files.delete(run.resolve("curves.png"));
    Files.writeString(run.resolve("metrics.csv.4711.tmp"), "epoch,lr");
    Result r = CliTest.cpu("train", "--resume", run.toString(), "--quiet");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("already completed 2 epochs"), r.err());
    assertEquals(rows, Files.readAllLines(run.resolve("metrics.csv")));
    assertArrayEquals(chart, Files.readAllBytes(run.resolve("curves.png")));
    assertFalse(Files.exists(run.resolve("metrics.csv.4711.tmp")));
  }
}
