package org.convcl.bench;

import java.util.List;
import java.util.Locale;

/**
 * A training step's time per layer and pass, averaged over the profiled steps: see {@link
 * StepProfiler}. Kernel figures are NaN on a backend without a device clock.
 */
public record StepProfile(
    String backend, int batch, int steps, List<Row> rows, double stepWallMs, double stepKernelMs) {

  /**
   * One layer pass (or {@code other}: everything between layers).
   *
   * @param implementations the implementations (with settings) whose kernels ran in it
   * @param flops per step (0 where the layer does no multiply-adds worth counting)
   * @param bytes per step, the layer's input and output read and written once (napkin)
   */
  public record Row(
      String layer,
      String pass,
      List<String> implementations,
      double launches,
      double kernelMs,
      double wallMs,
      long flops,
      long bytes) {}

  /** Images per second of a profiled step (slower than a plain one: the profiler waits). */
  public double imagesPerSecond() {
    return batch / (stepWallMs / 1000);
  }

  /** The table {@code train --profile} and {@code bench --model} print. */
  public String format() {
    StringBuilder b = new StringBuilder();
    String f = "%-24s %-9s %8s %10s %10s %9s %9s %8s  %s%n";
    b.append(
        String.format(
            Locale.ROOT,
            f,
            "layer",
            "pass",
            "launches",
            "kernel ms",
            "wall ms",
            "kGFLOP/s",
            "GFLOP/s",
            "GB/s",
            "implementations"));
    for (Row r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              f,
              r.layer(),
              r.pass(),
              String.format(Locale.ROOT, "%.0f", r.launches()),
              fmt(r.kernelMs(), "%.3f"),
              fmt(r.wallMs(), "%.3f"),
              r.flops() == 0 ? "-" : fmt(r.flops() / (r.kernelMs() * 1e6), "%.2f"),
              r.flops() == 0 ? "-" : fmt(r.flops() / (r.wallMs() * 1e6), "%.2f"),
              r.bytes() == 0 ? "-" : fmt(r.bytes() / (r.wallMs() * 1e6), "%.2f"),
              String.join(", ", r.implementations())));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "step: %.3f ms wall, %s ms in kernels, %s ms outside kernels (host work, queue gaps,"
                + " transfers, the profiler's waits); %d steps of batch %d on %s, %.0f images/s"
                + " profiled%n",
            stepWallMs,
            fmt(stepKernelMs, "%.3f"),
            fmt(stepWallMs - stepKernelMs, "%.3f"),
            steps,
            batch,
            backend,
            imagesPerSecond()));
    return b.toString();
  }

  private static String fmt(double v, String pattern) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, pattern, v) : "-";
  }
}
