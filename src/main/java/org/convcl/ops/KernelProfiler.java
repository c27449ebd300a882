package org.convcl.ops;

import java.util.List;

/**
 * The device clock of a backend that has one (OpenCL profiling events): what ran on the device
 * between {@link #start()} and {@link #stop()}, per implementation. Obtained from {@link
 * Ops#kernelProfiler()}; a backend without a device clock has none.
 */
public interface KernelProfiler {
  /** Starts recording every launch from now on (forgetting earlier ones). */
  void start();

  /**
   * Waits for the device, stops recording and returns the launches since {@link #start()}, summed
   * per (kernel, implementation), in the order each first ran.
   */
  List<KernelTiming> stop();

  /** The summed device time of {@code timings}, in nanoseconds. */
  static long totalNanos(List<KernelTiming> timings) {
    long total = 0;
    for (KernelTiming t : timings) {
      total += t.nanos();
    }
    return total;
  }
}
