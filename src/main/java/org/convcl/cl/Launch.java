package org.convcl.cl;

import java.util.Arrays;
import java.util.function.Supplier;
import org.jocl.CL;
import org.jocl.cl_event;
import org.jocl.cl_kernel;

/**
 * One kernel launch: set its arguments through {@link #args()}, then enqueue it over a range.
 * Launches never wait; the queue is in order, so the next launch sees this one's writes. The
 * arguments reach the driver at the enqueue, on the kernel instance of this call site, and only
 * those that instance does not already hold ({@link KernelInstances}).
 */
final class Launch {
  /** Work-items per work-group for one-dimensional element-wise kernels. */
  static final int LINEAR_GROUP = 256;

  /** Work-items per group along dimension 0 of the spatial (plane, channel, batch) kernels. */
  static final int PLANE_GROUP = 64;

  private final ClRuntime runtime;
  private final KernelClock clock;
  private final KernelInstances instances;
  private final String name;
  private final String implementation;
  private final long maxGroup;
  private final KernelArgs args;

  /** {@code implementation}: how profiles name what launched it (the kernel with its settings). */
  Launch(ClRuntime runtime, KernelClock clock, ProgramCache.Kernel kernel, String implementation) {
    this.runtime = runtime;
    this.clock = clock;
    this.instances = kernel.instances();
    this.name = kernel.name();
    this.implementation = implementation;
    this.maxGroup = Math.min(kernel.maxGroup(), runtime.info().maxWorkGroupSize());
    this.args = new KernelArgs(name);
  }

  KernelArgs args() {
    return args;
  }

  /** One work-item per element {@code i < n}; the kernel checks the bound. */
  void linear(long n, Supplier<String> what) {
    long local = groupSize(LINEAR_GROUP);
    run(new long[] {roundUp(n, local)}, new long[] {local}, what);
  }

  /**
   * Work-items {@code (p, d1, d2)} for {@code p < plane}: an image plane (rounded up to the group
   * size, the kernel checks the bound) times two exact outer dimensions such as channel and batch.
   */
  void spatial(long plane, long d1, long d2, Supplier<String> what) {
    spatial(plane, d1, d2, PLANE_GROUP, what);
  }

  /** As above with {@code group} work-items per group along the plane (fewer if it is smaller). */
  void spatial(long plane, long d1, long d2, int group, Supplier<String> what) {
    long pow2 =
        plane <= 1 ? 1 : Long.highestOneBit(plane - 1) * 2; // smallest power of two >= plane
    long local = Math.min(groupSize(group), pow2);
    run(new long[] {roundUp(plane, local), d1, d2}, new long[] {local, 1, 1}, what);
  }

  /** The most work-items one group of this kernel may have here (kernel and device limits). */
  long maxGroup() {
    return maxGroup;
  }

  /**
   * An explicit range; {@code local} may be null (the driver chooses). A work-group larger than
   * this kernel's limit is refused here, naming the kernel, the size and the limit: drivers report
   * only CL_INVALID_WORK_GROUP_SIZE, and the compiled kernel's limit (registers, local memory) can
   * be below the device's.
   */
  void run(long[] global, long[] local, Supplier<String> what) {
    requireGroupFits(local, what);
    cl_kernel kernel = instances.bind(args);
    cl_event event = clock.nextEvent(name, implementation);
    ClCall.run(
        "clEnqueueNDRangeKernel(" + name + ")",
        what,
        () ->
            CL.clEnqueueNDRangeKernel(
                runtime.queue(), kernel, global.length, null, global, local, 0, null, event));
  }

  private void requireGroupFits(long[] local, Supplier<String> what) {
    if (local == null) {
      return;
    }
    long items = 1;
    for (long l : local) {
      items *= l;
    }
    if (items > maxGroup) {
      throw new ClException(
          "clEnqueueNDRangeKernel(" + name + ")",
          CL.CL_INVALID_WORK_GROUP_SIZE,
          String.format(
              "%s: a work-group of %s = %d work-items exceeds the limit of %d for kernel %s on"
                  + " this device (CL_KERNEL_WORK_GROUP_SIZE and CL_DEVICE_MAX_WORK_GROUP_SIZE)",
              what.get(), Arrays.toString(local), items, maxGroup, name),
          null);
    }
  }

  /** {@code wanted}, or the largest power of two this kernel may use on this device if smaller. */
  private long groupSize(long wanted) {
    return Math.min(wanted, Long.highestOneBit(Math.max(1, maxGroup)));
  }

  static long roundUp(long n, long multiple) {
    return (n + multiple - 1) / multiple * multiple;
  }
}
