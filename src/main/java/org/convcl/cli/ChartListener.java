package org.convcl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.convcl.train.EpochMetrics;
import org.convcl.train.MetricsCsv;
import org.convcl.train.TrainListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redraws {@code curves.png} from {@code metrics.csv}: after an epoch once {@link #REDRAW} has
 * passed since the run started or the chart was last drawn, so the chart stays current while a long
 * run trains, and when the run ends ({@link #close}), however it ends (finished, stopped early,
 * diverged, interrupted), if an epoch is not on it yet.
 *
 * <p>Not after every epoch: drawing loads and runs the JDK's imaging code, which the JIT then
 * compiles while the next epoch trains. On LeNet's 1.5 s epochs on two cores that compilation
 * competed with the training threads (C2 compiled the chart's code for 0.35 s in a 3-epoch run),
 * for a chart nobody reads between two epochs of a short run.
 */
final class ChartListener implements TrainListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChartListener.class);

  /** The least time between two drawings while a run trains. */
  static final Duration REDRAW = Duration.ofSeconds(10);

  private final Path runDir;
  private final LongSupplier nanoTime;
  private long lastDrawn;
  private boolean pending;

  ChartListener(Path runDir) {
    this(runDir, System::nanoTime);
  }

  /** With the clock {@code nanoTime} (tests). */
  ChartListener(Path runDir, LongSupplier nanoTime) {
    this.runDir = runDir;
    this.nanoTime = nanoTime;
    this.lastDrawn = nanoTime.getAsLong();
  }

  @Override
  public void epochDone(EpochMetrics metrics) {
    pending = true;
    if (nanoTime.getAsLong() - lastDrawn >= REDRAW.toNanos()) {
      draw();
    }
  }

  /** Whether the chart shows every epoch this listener saw. */
  boolean current() {
    return !pending;
  }

  /**
   * Draws the epochs the chart does not show yet. A failure is logged, not thrown: the run has
   * ended, and on a diverged or interrupted run an exception here would only be attached, unseen,
   * to the one that ended it (after a finished run the command draws the chart again unless it is
   * {@link #current}, and fails loudly if it cannot).
   */
  @Override
  public void close() {
    if (!pending) {
      return;
    }
    try {
      draw();
    } catch (RuntimeException e) {
      LOG.warn("could not draw {}: {}", runDir.resolve(ChartWriter.NAME), e.toString());
    }
  }

  private void draw() {
    try {
      ChartWriter.write(runDir, MetricsCsv.read(runDir));
    } catch (IOException e) {
      throw new UncheckedIOException("could not draw " + runDir.resolve(ChartWriter.NAME), e);
    }
    pending = false;
    lastDrawn = nanoTime.getAsLong();
  }
}
