package org.convcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** The evaluation bar of {@code convcl eval}: drawn on the bar stream only, and only if shown. */
class ProgressPrinterTest {
  private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
  private final ByteArrayOutputStream bars = new ByteArrayOutputStream();

  private void evaluate(boolean show) {
    try (ProgressPrinter p =
        new ProgressPrinter(
            new PrintStream(lines, true, StandardCharsets.UTF_8),
            new PrintStream(bars, true, StandardCharsets.UTF_8),
            show,
            0)) {
      IntConsumer done = p.evaluation("eval test", 300);
      done.accept(256);
      done.accept(44);
    }
  }

  @Test
  void evaluationDrawsItsBarOnTheBarStream() {
    evaluate(true);
    String drawn = bars.toString(StandardCharsets.UTF_8);
    assertTrue(drawn.contains("eval test"), drawn);
    assertTrue(drawn.contains("img"), drawn);
    assertEquals(0, lines.size(), "result lines stay clean");
  }

  @Test
  void noBarWhenNotShown() {
    evaluate(false);
    assertEquals(0, bars.size() + lines.size(), bars.toString(StandardCharsets.UTF_8));
  }

  @Test
  void hugeLossesArePrintedShort() {
    org.convcl.train.EpochMetrics m =
        new org.convcl.train.EpochMetrics(3, 0.001, 3.155727472496412e32, 0.1, 2.3, 0.1, 200, 1.5);
    String line = ProgressPrinter.line(m, 4);
    assertTrue(line.contains("loss 3.156e+32 "), line);
    m = new org.convcl.train.EpochMetrics(3, 0.001, 0.0512, 0.98, 0.06, 0.98, 200, 1.5);
    assertTrue(ProgressPrinter.line(m, 4).contains("loss 0.0512 "), ProgressPrinter.line(m, 4));
  }
}
