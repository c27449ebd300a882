package org.convcl.train;

import java.nio.file.Path;
import org.convcl.tensor.Require;

/**
 * One run's settings. {@code runDir} receives {@code checkpoint.ccl} after every epoch and {@code
 * metrics.csv}; null keeps everything in memory (tests). {@code scheduleEpochs} is the length the
 * learning-rate schedule was planned for: {@code epochs}, except for a run extended past its
 * original plan, which keeps that plan (see {@link LrSchedule#at(float, int, int, int, int)}).
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    long seed,
    OptimizerConfig optimizer,
    LrSchedule schedule,
    Path runDir,
    int scheduleEpochs) {

  /** A run whose schedule spans all its epochs. */
  public TrainConfig(
      int epochs,
      int batchSize,
      long seed,
      OptimizerConfig optimizer,
      LrSchedule schedule,
      Path runDir) {
    this(epochs, batchSize, seed, optimizer, schedule, runDir, epochs);
  }

  public TrainConfig {
    Require.positive("epochs", epochs);
    Require.positive("schedule epochs", scheduleEpochs);
    Require.positive("batch size", batchSize);
    Require.that(optimizer != null, "optimizer", null, "must be given");
    Require.that(schedule != null, "lr schedule", null, "must be given");
  }

  public Path checkpointFile() {
    return runDir == null ? null : runDir.resolve(CHECKPOINT_NAME);
  }

  public static final String CHECKPOINT_NAME = "checkpoint.ccl";
}
