package org.convcl.train;

/** What one epoch measured; accuracies in [0, 1]. */
public record EpochMetrics(
    int epoch,
    double learningRate,
    double trainLoss,
    double trainAccuracy,
    double testLoss,
    double testAccuracy,
    double imagesPerSecond,
    double seconds) {

  public static final String CSV_HEADER =
      "epoch,lr,train_loss,train_accuracy,test_loss,test_accuracy,images_per_second,seconds";

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
