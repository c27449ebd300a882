package org.convcl.cl;

import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convcl.ops.KernelTiming;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * Collects the profiling events of the kernels launched while it runs and sums their device time
 * (end minus start) per kernel and implementation: the bench's and the tuner's kernel time, next to
 * their wall time.
 */
final class KernelClock {
  private record Tagged(cl_event event, String kernel, String implementation) {}

  private final List<Tagged> events = new ArrayList<>();
  private boolean running;

  void start() {
    releaseAll();
    running = true;
  }

  /** A fresh event for the next launch, or null when the clock is stopped. */
  cl_event nextEvent(String kernel, String implementation) {
    if (!running) {
      return null;
    }
    cl_event e = new cl_event();
    events.add(new Tagged(e, kernel, implementation));
    return e;
  }

  /** Stops and returns the summed kernel times, in first-launch order; the queue must be done. */
  List<KernelTiming> stop() {
    running = false;
    Map<String, long[]> sums =
        new LinkedHashMap<>(); // key kernel\0implementation -> {launches, ns}
    long[] t = new long[1];
    for (Tagged e : events) {
      CL.clGetEventProfilingInfo(
          e.event(), CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(t), null);
      long start = t[0];
      CL.clGetEventProfilingInfo(
          e.event(), CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(t), null);
      long[] sum = sums.computeIfAbsent(e.kernel() + '\0' + e.implementation(), k -> new long[2]);
      sum[0]++;
      sum[1] += t[0] - start;
    }
    releaseAll();
    List<KernelTiming> out = new ArrayList<>();
    sums.forEach(
        (k, v) -> {
          String[] parts = k.split("\0", 2);
          out.add(new KernelTiming(parts[0], parts[1], (int) v[0], v[1]));
        });
    return out;
  }

  void releaseAll() {
    events.forEach(e -> CL.clReleaseEvent(e.event()));
    events.clear();
  }
}
