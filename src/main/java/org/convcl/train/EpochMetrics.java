package org.convcl.train;

/**
 * What one epoch measured; accuracies in [0, 1]. The "test" values are those of the held-out set
 * the run evaluates after every epoch: the validation split when there is one, else the test set.
 *
 * @param epoch the 1-based epoch
 * @param learningRate the rate of the epoch's last step
 * @param trainLoss the mean loss over the epoch's training steps
 * @param trainAccuracy the accuracy over the epoch's training steps
 * @param testLoss the mean loss on the held-out set after the epoch
 * @param testAccuracy the accuracy on the held-out set after the epoch
 * @param imagesPerSecond training throughput
 * @param seconds the epoch's training time, evaluation excluded
 */
public record EpochMetrics(
    int epoch,
    double learningRate,
    double trainLoss,
    double trainAccuracy,
    double testLoss,
    double testAccuracy,
    double imagesPerSecond,
    double seconds) {

  /** The header row of {@code metrics.csv}, in the order of {@link #csv()}. */
  public static final String CSV_HEADER =
      "epoch,lr,train_loss,train_accuracy,test_loss,test_accuracy,images_per_second,seconds";

  /**
   * This epoch as a row of {@code metrics.csv}.
   *
   * @return the comma-separated values, without a line end
   */
  public String csv() {
    return String.format(
        java.util.Locale.ROOT,
        "%d,%.6g,%.6f,%.6f,%.6f,%.6f,%.1f,%.3f",
        epoch,
        learningRate,
        trainLoss,
        trainAccuracy,
        testLoss,
        testAccuracy,
        imagesPerSecond,
        seconds);
  }
}
