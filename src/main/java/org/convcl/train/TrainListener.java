package org.convcl.train;

import java.util.List;

/**
 * Progress callbacks of a training run ({@link Classifier#fit(org.convcl.data.Split, TrainConfig,
 * TrainListener)}, {@link Trainer}); the CLI draws its progress bar and epoch lines here. Every
 * method does nothing unless overridden.
 */
public interface TrainListener {
  /**
   * Before the first step of an epoch.
   *
   * @param epoch the 1-based epoch
   * @param stepsPerEpoch the steps it will take
   * @param batchSize images per full step
   */
  default void epochStarted(int epoch, int stepsPerEpoch, int batchSize) {}

  /**
   * After each step.
   *
   * @param epoch the 1-based epoch
   * @param step the 1-based step within the epoch
   * @param loss the step's mean loss
   */
  default void stepDone(int epoch, int step, double loss) {}

  /**
   * After evaluation and the checkpoint of an epoch.
   *
   * @param metrics what the epoch measured
   */
  default void epochDone(EpochMetrics metrics) {}

  /**
   * When early stopping ends the run after {@code epoch} (1-based), before its planned last epoch.
   *
   * @param epoch the last epoch that ran
   * @param bestEpoch the epoch with the best monitored metric
   */
  default void stoppedEarly(int epoch, int bestEpoch) {}

  /** A listener that ignores everything. */
  TrainListener NONE = new TrainListener() {};

  /**
   * One listener that tells each of {@code listeners}, in order.
   *
   * @param listeners the listeners to combine
   * @return the combination
   */
  static TrainListener all(TrainListener... listeners) {
    List<TrainListener> ls = List.of(listeners);
    return new TrainListener() {
      @Override
      public void epochStarted(int epoch, int stepsPerEpoch, int batchSize) {
        ls.forEach(l -> l.epochStarted(epoch, stepsPerEpoch, batchSize));
      }

      @Override
      public void stepDone(int epoch, int step, double loss) {
        ls.forEach(l -> l.stepDone(epoch, step, loss));
      }

      @Override
      public void epochDone(EpochMetrics metrics) {
        ls.forEach(l -> l.epochDone(metrics));
      }

      @Override
      public void stoppedEarly(int epoch, int bestEpoch) {
        ls.forEach(l -> l.stoppedEarly(epoch, bestEpoch));
      }
    };
  }
}
