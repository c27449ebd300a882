package org.convcl.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.convcl.train.EpochMetrics;
import org.convcl.train.MetricsCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When {@link ChartListener} draws curves.png, on a clock the test moves. */
class ChartListenerTest {
  @TempDir Path run;

  /** An arbitrary start: the listener must count from its own construction, not from 0. */
  private final long[] now = {123_456_789_000L};

  private final List<EpochMetrics> history = new ArrayList<>();

  private EpochMetrics epochAfter(double seconds) throws IOException {
    now[0] += (long) (seconds * 1e9);
    EpochMetrics m = new EpochMetrics(history.size() + 1, 0.01, 1.0, 0.5, 1.1, 0.45, 1000, seconds);
    history.add(m);
    List<String> lines = new ArrayList<>(List.of(EpochMetrics.CSV_HEADER));
    history.forEach(e -> lines.add(e.csv()));
    Files.write(run.resolve(MetricsCsv.NAME), lines, StandardCharsets.UTF_8);
    return m;
  }

  private Path chart() {
    return run.resolve(ChartWriter.NAME);
  }

  @Test
  void shortEpochsAreDrawnOnceWhenTheRunEnds() throws IOException {
    try (ChartListener chart = new ChartListener(run, () -> now[0])) {
      chart.epochDone(epochAfter(1.5));
      chart.epochDone(epochAfter(1.5));
      assertFalse(Files.exists(chart()), "drawn 3 s into the run");
    }
    assertTrue(Files.exists(chart()), "not drawn when the run ended");
    BufferedImage png = ImageIO.read(chart().toFile());
    assertTrue(png.getWidth() > 0 && png.getHeight() > 0);
  }

  @Test
  void anEpochEndingPastTheRedrawIntervalIsDrawnAtOnce() throws IOException {
    double interval = ChartListener.REDRAW.toNanos() / 1e9;
    try (ChartListener chart = new ChartListener(run, () -> now[0])) {
      chart.epochDone(epochAfter(interval / 2));
      assertFalse(Files.exists(chart()));
      chart.epochDone(epochAfter(interval / 2));
      assertTrue(Files.exists(chart()), "not drawn " + interval + " s into the run");
      Files.delete(chart());
      chart.epochDone(epochAfter(1));
      assertFalse(Files.exists(chart()), "redrawn 1 s after the last drawing");
    }
    assertTrue(Files.exists(chart()), "the last epoch was not drawn when the run ended");
  }

  @Test
  void aRunWhoseEpochsAreAllDrawnIsNotDrawnAgainAtTheEnd() throws IOException {
    double interval = ChartListener.REDRAW.toNanos() / 1e9;
    try (ChartListener chart = new ChartListener(run, () -> now[0])) {
      chart.epochDone(epochAfter(interval + 1));
      Files.delete(chart());
    }
    assertFalse(Files.exists(chart()), "drawn again with nothing new");
  }

  @Test
  void aRunThatEndsBeforeAnyEpochDrawsNothing() {
    ChartListener chart = new ChartListener(run, () -> now[0]);
    now[0] += 60_000_000_000L;
    chart.close();
    assertFalse(Files.exists(chart()));
  }

  @Test
  void aChartThatCannotBeDrawnFailsAnEpochButNotTheRunsEnd() throws IOException {
    epochAfter(1);
    Files.writeString(run.resolve(MetricsCsv.NAME), "not,a,metrics,file\n1,2\n");
    ChartListener chart = new ChartListener(run, () -> now[0]);
    EpochMetrics m = history.get(0);
    chart.epochDone(m);
    now[0] += ChartListener.REDRAW.toNanos();
    assertThrows(UncheckedIOException.class, () -> chart.epochDone(m));
    chart.close();
    assertFalse(Files.exists(chart()));
    assertFalse(chart.current(), "an epoch that was never drawn counted as drawn");
  }
}
