package org.convcl.train;

import java.nio.file.Path;

/**
 * Training stopped on request (a {@link Trainer#stopWhen} condition) after a step. Nothing of the
 * unfinished epoch is saved; the checkpoint of {@link #lastEpoch} (0: none) stays as it was.
 */
public final class TrainingInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int step;
  private final int lastEpoch;
  private final transient Path runDir;

  public TrainingInterruptedException(int epoch, int step, int lastEpoch, Path runDir) {
    super("interrupted at epoch " + epoch + ", step " + step);
    this.epoch = epoch;
    this.step = step;
    this.lastEpoch = lastEpoch;
    this.runDir = runDir;
  }

  /** The 1-based epoch that was running. */
  public int epoch() {
    return epoch;
  }

  /** The steps of {@link #epoch} that had finished. */
  public int step() {
    return step;
  }

  /** The last completed and saved epoch (0 when none was). */
  public int lastEpoch() {
    return lastEpoch;
  }

  /** The run directory (null when the run kept nothing on disk). */
  public Path runDir() {
    return runDir;
  }
}
