package org.convcl.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.convcl.train.EpochMetrics;
import org.convcl.train.TrainListener;

/** Draws a progress bar per epoch (images, images/s, ETA) and prints one line per epoch. */
final class ProgressPrinter implements TrainListener, AutoCloseable {
  private final PrintStream lines;
  private final PrintStream bars;
  private final boolean showBar;
  private final int epochs;
  private ProgressBar bar;
  private int batch;

  ProgressPrinter(PrintStream lines, PrintStream bars, boolean showBar, int epochs) {
    this.lines = lines;
    this.bars = bars;
    this.showBar = showBar;
    this.epochs = epochs;
  }

  @Override
  public void epochStarted(int epoch, int stepsPerEpoch, int batchSize) {
    batch = batchSize;
    if (showBar) {
      bar =
          new ProgressBarBuilder()
              .setTaskName("epoch " + epoch + "/" + epochs)
              .setInitialMax((long) stepsPerEpoch * batchSize)
              .setUnit(" img", 1)
              .showSpeed()
              .setUpdateIntervalMillis(250)
              .setConsumer(new ConsoleProgressBarConsumer(bars, 110))
              .clearDisplayOnFinish()
              .build();
    }
  }

  @Override
  public void stepDone(int epoch, int step, double loss) {
    if (bar != null) {
      bar.stepBy(batch);
      bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", loss));
    }
  }

  @Override
  public void epochDone(EpochMetrics m) {
    close();
    lines.println(line(m, epochs));
    lines.flush();
  }

  static String line(EpochMetrics m, int epochs) {
    return String.format(
        Locale.ROOT,
        "epoch %d/%d  loss %.4f  train %.2f%%  test %.2f%%  %.0f img/s  %.1f s  lr %.4g",
        m.epoch(),
        epochs,
        m.trainLoss(),
        100 * m.trainAccuracy(),
        100 * m.testAccuracy(),
        m.imagesPerSecond(),
        m.seconds(),
        m.learningRate());
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
