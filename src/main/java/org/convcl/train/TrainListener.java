package org.convcl.train;

/** Progress callbacks of a {@link Trainer}; the CLI draws its progress bar and epoch lines here. */
public interface TrainListener {
  /** Before the first step of {@code epoch} (1-based) of {@code stepsPerEpoch} steps. */
  default void epochStarted(int epoch, int stepsPerEpoch, int batchSize) {}

  /** After each step; {@code step} is 1-based within the epoch. */
  default void stepDone(int epoch, int step, double loss) {}

  /** After evaluation and the checkpoint of an epoch. */
  default void epochDone(EpochMetrics metrics) {}

  /**
   * When early stopping ends the run after {@code epoch} (1-based), before its planned last epoch.
   *
   * @param epoch the last epoch that ran
   * @param bestEpoch the epoch with the best monitored metric
   */
  default void stoppedEarly(int epoch, int bestEpoch) {}

  TrainListener NONE = new TrainListener() {};
}
