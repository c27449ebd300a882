package org.convcl.bench;

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
}
