package org.convcl.bench;

import java.util.Locale;

/**
 * One timed op on one shape: medians over the repeats of the wall time (enqueue to finish) and, on
 * OpenCL, of the summed kernel time from profiling events ({@code NaN} elsewhere).
 *
 * @param backend the backend's name
 * @param op {@code convForward}, {@code convBackwardInput}, {@code convBackwardFilter}, {@code
 *     maxPoolForward} or {@code maxPoolBackward}
 * @param shape the standard shape, e.g. {@code 64x1x28x28 -> 20 k5 s1 p0}
 * @param batch the batch size actually run
 * @param batchScaled whether {@code batch} was scaled down from the standard shape (quick mode)
 * @param flops floating-point operations of one call (0 for pooling)
 * @param bytes bytes one call must move at least (0 for convolutions)
 */
public record BenchResult(
    String backend,
    String op,
    String shape,
    int batch,
    boolean batchScaled,
    int repeats,
    double wallMs,
    double kernelMs,
    long flops,
    long bytes) {

  /** GFLOP/s from the wall time (0 for pooling). */
  public double gflops() {
    return flops / (wallMs * 1e6);
  }

  /** GFLOP/s from the kernel time; NaN without profiling. */
  public double kernelGflops() {
    return flops / (kernelMs * 1e6);
  }

  /** GB/s from the wall time (0 for convolutions). */
  public double gbPerSecond() {
    return bytes / (wallMs * 1e6);
  }

  /** One line of JSON; NaN is written as null. */
  public String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"backend\":%s,\"op\":%s,\"shape\":%s,\"batch\":%d,\"batchScaled\":%b,\"repeats\":%d,"
            + "\"wallMs\":%s,\"kernelMs\":%s,\"gflops\":%s,\"kernelGflops\":%s,\"gbPerSecond\":%s,"
            + "\"flops\":%d,\"bytes\":%d}",
        quote(backend),
        quote(op),
        quote(shape),
        batch,
        batchScaled,
        repeats,
        number(wallMs),
        number(kernelMs),
        number(flops == 0 ? Double.NaN : gflops()),
        number(flops == 0 ? Double.NaN : kernelGflops()),
        number(bytes == 0 ? Double.NaN : gbPerSecond()),
        flops,
        bytes);
  }

  private static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "null";
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (ch < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
