package org.convcl.cl;

import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * Collects the profiling events of the kernels launched while it runs and sums their device time
 * (end minus start): the bench's kernel time, next to its wall time.
 */
final class KernelClock {
  private final List<cl_event> events = new ArrayList<>();
  private boolean running;

  void start() {
    releaseAll();
    running = true;
  }

  /** A fresh event for the next launch, or null when the clock is stopped. */
  cl_event nextEvent() {
    if (!running) {
      return null;
    }
    cl_event e = new cl_event();
    events.add(e);
    return e;
  }

  /** Stops and returns the summed kernel time; the queue must have finished. */
  long stopNanos() {
    running = false;
    long total = 0;
    long[] t = new long[1];
    for (cl_event e : events) {
      CL.clGetEventProfilingInfo(
          e, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(t), null);
      long start = t[0];
      CL.clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(t), null);
      total += t[0] - start;
    }
    releaseAll();
    return total;
  }

  void releaseAll() {
    events.forEach(CL::clReleaseEvent);
    events.clear();
  }
}
