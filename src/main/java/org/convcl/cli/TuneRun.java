package org.convcl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.convcl.impl.ImplementationRegistry;
import org.convcl.impl.ShapeKey;
import org.convcl.ops.Backends;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.tune.Outcome;
import org.convcl.tune.TuneJob;
import org.convcl.tune.Tuner;

/**
 * One tuning run as {@code convcl tune} and {@code train --tune} do it: the model's jobs on {@code
 * ops}, every candidate checked against the {@code ref} backend, a progress bar on the error
 * stream, the winners saved to the device's choice table, and a before/after table per layer and
 * pass on the output stream.
 */
final class TuneRun {
  private TuneRun() {}

  /** {@code report}: where the table goes (the output stream, or the error stream in train). */
  static List<Outcome> run(
      Io io,
      PrintStream report,
      Ops ops,
      String spec,
      Shape inputItem,
      int batch,
      Duration budget,
      boolean bar)
      throws IOException {
    ImplementationRegistry<?> registry =
        ops.implementations()
            .orElseThrow(
                () ->
                    new UsageException(
                        "--device: "
                            + ops.name()
                            + " has one implementation per op; there is nothing to tune"));
    List<TuneJob> jobs = TuneJob.forModel(spec, inputItem, batch);
    if (jobs.isEmpty()) {
      throw new UsageException("--model " + spec + ": has no convolution to tune");
    }
    List<Outcome> outcomes;
    try (Ops reference = Backends.provider("ref").open("ref");
        ProgressBar progress = bar ? bar(io, budget) : null) {
      Tuner tuner =
          new Tuner(
              ops,
              reference,
              budget,
              (done, total, what) -> {
                if (progress != null) {
                  progress.maxHint(total);
                  progress.stepTo(done);
                  progress.setExtraMessage(" " + what);
                }
              },
              1);
      outcomes = tuner.tune(jobs);
    }
    registry.table().save();
    report.print(table(outcomes));
    report.println("choice table: " + registry.table().userFile());
    return outcomes;
  }

  private static ProgressBar bar(Io io, Duration budget) {
    return new ProgressBarBuilder()
        .setTaskName("tune (budget " + budget.toSeconds() + " s)")
        .setInitialMax(1)
        .setUpdateIntervalMillis(250)
        .setConsumer(new ConsoleProgressBarConsumer(io.err(), 110))
        .clearDisplayOnFinish()
        .build();
  }

  /** The before/after table: one row per layer and pass. */
  static String table(List<Outcome> outcomes) {
    StringBuilder b = new StringBuilder();
    String row = "%-14s %-19s %-52s %9s %-44s %9s %8s %8s %s%n";
    b.append(
        String.format(
            Locale.ROOT,
            row,
            "layer",
            "pass",
            "before",
            "ms",
            "after",
            "ms",
            "GFLOP/s",
            "speed-up",
            "timed/rejected/failed/over budget"));
    for (Outcome o : outcomes) {
      b.append(
          String.format(
              Locale.ROOT,
              row,
              o.job().layer(),
              o.job().pass(),
              o.before().label() + " (" + o.before().source() + ")",
              ms(o.beforeMs()),
              o.winner().label(),
              ms(o.winnerMs()),
              String.format(Locale.ROOT, "%.2f", o.winnerGflops()),
              String.format(Locale.ROOT, "%.2fx", o.speedup()),
              o.timed() + "/" + o.rejected().size() + "/" + o.failed() + "/" + o.overBudget()));
      for (String r : o.rejected()) {
        b.append("    rejected ").append(r).append('\n');
      }
    }
    if (!outcomes.isEmpty()) {
      b.append("shapes: ");
      outcomes.stream()
          .map(
              o ->
                  o.job().layer()
                      + " = N"
                      + o.job().geometry().n()
                      + " "
                      + ShapeKey.of(o.job().geometry()))
          .distinct()
          .forEach(s -> b.append("\n  ").append(s));
      b.append('\n');
    }
    return b.toString();
  }

  private static String ms(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
  }
}
