package org.convcl.train;

import java.nio.file.Path;
import org.convcl.tensor.Require;

/**
 * One run's settings. {@code runDir} receives {@code checkpoint.ccl} after every epoch and {@code
 * metrics.csv}; null keeps everything in memory (tests).
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    long seed,
    OptimizerConfig optimizer,
    LrSchedule schedule,
    Path runDir) {

  public TrainConfig {
    Require.positive("epochs", epochs);
    Require.positive("batch size", batchSize);
    Require.that(optimizer != null, "optimizer", null, "must be given");
    Require.that(schedule != null, "lr schedule", null, "must be given");
  }

  public Path checkpointFile() {
    return runDir == null ? null : runDir.resolve(CHECKPOINT_NAME);
  }

  public static final String CHECKPOINT_NAME = "checkpoint.ccl";
}
