package org.convcl.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.convcl.train.EpochMetrics;
import org.convcl.train.TrainListener;

/**
 * Draws a progress bar per epoch (images, images/s, ETA) and prints one line per epoch; {@code
 * convcl eval} draws the same bar over its evaluation. The bar is drawn only on a terminal (see
 * {@link Terminal}): piped or redirected output gets the plain epoch lines alone.
 */
final class ProgressPrinter implements TrainListener, AutoCloseable {
  private final PrintStream lines;
  private final PrintStream bars;
  private final boolean showBar;
  private final int epochs;
  private final Terminal terminal;
  private ProgressBar bar;
  private int batch;
  private String heldOut = "test";

  /** A printer whose bar, when {@code showBar}, is drawn as on {@code terminal}. */
  ProgressPrinter(
      PrintStream lines, PrintStream bars, boolean showBar, int epochs, Terminal terminal) {
    this.lines = lines;
    this.bars = bars;
    this.showBar = showBar;
    this.epochs = epochs;
    this.terminal = terminal;
  }

  /** A plain printer: a bar (when shown) without colour, 100 columns wide. */
  ProgressPrinter(PrintStream lines, PrintStream bars, boolean showBar, int epochs) {
    this(lines, bars, showBar, epochs, new Terminal(true, false, 100));
  }

  /**
   * The printer of a command: epoch lines on {@code lines}, the bar on stderr only when {@code
   * wanted} and stderr's JVM runs in a terminal.
   */
  static ProgressPrinter forCommand(PrintStream lines, Io io, boolean wanted, int epochs) {
    Terminal t = Terminal.detect();
    return new ProgressPrinter(lines, io.err(), wanted && t.interactive(), epochs, t);
  }

  /** As {@link #forCommand(PrintStream, Io, boolean, int)} with the lines on stdout. */
  static ProgressPrinter forCommand(Io io, boolean wanted, int epochs) {
    return forCommand(io.out(), io, wanted, epochs);
  }

  /** Names the held-out set in the epoch lines ({@code val} for a validation split). */
  ProgressPrinter heldOutAs(String name) {
    heldOut = name;
    return this;
  }

  @Override
  public void epochStarted(int epoch, int stepsPerEpoch, int batchSize) {
    batch = batchSize;
    startBar("epoch " + epoch + "/" + epochs, (long) stepsPerEpoch * batchSize);
  }

  /**
   * Starts the bar of an evaluation over {@code images} images (as {@code convcl eval} runs it) and
   * returns what advances it by the images each batch finished; {@link #close} ends it.
   */
  IntConsumer evaluation(String task, int images) {
    startBar(task, images);
    return done -> {
      if (bar != null) {
        bar.stepBy(done);
      }
    };
  }

  /** One bar (images, images/s, ETA) on the bar stream, cleared when closed; none if not shown. */
  private void startBar(String task, long images) {
    close();
    if (showBar) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(task)
              .setInitialMax(images)
              .setUnit(" img", 1)
              .showSpeed()
              .setUpdateIntervalMillis(250)
              .setStyle(
                  terminal.colour()
                      ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK
                      : ProgressBarStyle.UNICODE_BLOCK)
              .setConsumer(
                  terminal.width() > 0
                      ? new ConsoleProgressBarConsumer(bars, terminal.width() - 1)
                      : new ConsoleProgressBarConsumer(bars))
              .clearDisplayOnFinish()
              .build();
    }
  }

  @Override
  public void stepDone(int epoch, int step, double loss) {
    if (bar != null) {
      bar.stepBy(batch);
      bar.setExtraMessage(" loss " + loss(loss));
    }
  }

  @Override
  public void epochDone(EpochMetrics m) {
    close();
    lines.println(line(m, epochs, heldOut));
    lines.flush();
  }

  /**
   * A loss for people: four decimals in the usual range, four significant digits when it is huge (a
   * diverging run) or tiny, so {@code 3.156e+32} is not printed as 33 digits.
   */
  static String loss(double x) {
    double a = Math.abs(x);
    boolean usual = a == 0 || (a >= 1e-3 && a < 1e5) || !Double.isFinite(x);
    return String.format(Locale.ROOT, usual ? "%.4f" : "%.4g", x);
  }

  static String line(EpochMetrics m, int epochs) {
    return line(m, epochs, "test");
  }

  static String line(EpochMetrics m, int epochs, String heldOut) {
    return String.format(
        Locale.ROOT,
        "epoch %d/%d  loss %s  train %.2f%%  %s %.2f%%  %.0f img/s  %.1f s  lr %.4g",
        m.epoch(),
        epochs,
        loss(m.trainLoss()),
        100 * m.trainAccuracy(),
        heldOut,
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
