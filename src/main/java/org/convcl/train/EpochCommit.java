package org.convcl.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The one write that completes an epoch in a run directory. The checkpoint carries every epoch's
 * metrics, and its atomic rename is the commit point: before it the epoch did not happen, after it
 * the epoch is complete. {@code metrics.csv} is then rewritten from the checkpoint's history, and
 * {@link #recover} rewrites it again on the next start, so a crash between the two loses no row and
 * the two can never disagree for longer than until the next start.
 */
public final class EpochCommit {
  /** The files written through {@link AtomicFile}, whose temporary files a crash can leave. */
  static final Set<String> ATOMIC_OUTPUTS = Set.of(TrainConfig.CHECKPOINT_NAME, MetricsCsv.NAME);

  private final Path runDir;
  private final AtomicFile files;

  EpochCommit(Path runDir, AtomicFile files) {
    this.runDir = runDir;
    this.files = files;
  }

  /** Writes the epoch's checkpoint (the commit point), then metrics.csv from its history. */
  void commit(Checkpoint c) throws IOException {
    files.replace(runDir.resolve(TrainConfig.CHECKPOINT_NAME), CheckpointIO.encode(c));
    MetricsCsv.write(files, runDir, c.history());
  }

  /**
   * Before a run continues in its directory: deletes the temporary files a crash left and makes
   * metrics.csv hold exactly the rows of {@code history}.
   */
  void recover(List<EpochMetrics> history) throws IOException {
    AtomicFile.removeOrphans(runDir, ATOMIC_OUTPUTS);
    Path csv = runDir.resolve(MetricsCsv.NAME);
    if (history.isEmpty() && !Files.exists(csv)) {
      return;
    }
    byte[] want = MetricsCsv.text(history);
    if (!Files.isRegularFile(csv) || !Arrays.equals(want, Files.readAllBytes(csv))) {
      MetricsCsv.write(files, runDir, history);
    }
  }

  /**
   * The metrics of the epochs {@code c} completed: those it carries, or for a version-1 checkpoint
   * (which carried none) the rows of {@code runDir}'s metrics.csv up to its epoch.
   */
  public static List<EpochMetrics> history(Path runDir, Checkpoint c) throws IOException {
    if (!c.history().isEmpty() || c.epoch() == 0 || runDir == null) {
      return c.history();
    }
    return MetricsCsv.readEpochs(runDir, c.epoch());
  }

  /**
   * Brings {@code runDir} in line with {@code c}, the checkpoint a run continues from: removes
   * orphaned temporary files and rebuilds metrics.csv from the checkpoint; returns the history.
   */
  public static List<EpochMetrics> recover(Path runDir, Checkpoint c) throws IOException {
    List<EpochMetrics> history = history(runDir, c);
    new EpochCommit(runDir, AtomicFile.SYSTEM).recover(history);
    return history;
  }
}
