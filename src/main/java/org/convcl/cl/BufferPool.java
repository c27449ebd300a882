package org.convcl.cl;

import static org.jocl.CL.CL_MEM_READ_WRITE;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.convcl.ops.DeviceMemoryException;
import org.jocl.CL;
import org.jocl.cl_mem;

/**
 * Device buffers reused by exact byte size: a closed tensor's buffer waits here for the next tensor
 * of that size, so a training loop allocates nothing after its first step. Sizes beyond the
 * device's limits are refused before the driver is asked.
 */
final class BufferPool implements AutoCloseable {
  private final ClRuntime runtime;
  private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
  private final Set<cl_mem> live = Collections.newSetFromMap(new IdentityHashMap<>());
  private long bytesHeld; // live + free
  private boolean closed;

  private static final String HINT = "try a smaller batch size or a smaller model";

  BufferPool(ClRuntime runtime) {
    this.runtime = runtime;
  }

  /** A buffer of exactly {@code bytes}; {@code what} names the op and shape for errors. */
  cl_mem acquire(long bytes, Supplier<String> what) {
    ClDeviceInfo info = runtime.info();
    if (bytes > info.maxAllocBytes()) {
      throw new DeviceMemoryException(
          String.format(
              "%s needs a buffer of %,d bytes, more than the maximum single allocation of %,d bytes"
                  + " on %s (%s); %s",
              what.get(), bytes, info.maxAllocBytes(), info.spec(), info.name(), HINT));
    }
    ArrayDeque<cl_mem> sized = free.get(bytes);
    cl_mem m = sized == null ? null : sized.poll();
    if (m == null) {
      m = create(bytes, what);
    }
    live.add(m);
    return m;
  }

  private cl_mem create(long bytes, Supplier<String> what) {
    ClDeviceInfo info = runtime.info();
    if (bytesHeld + bytes > info.globalMemBytes()) {
      trim();
    }
    if (bytesHeld + bytes > info.globalMemBytes()) {
      throw new DeviceMemoryException(
          String.format(
              "%s needs %,d more bytes but %,d of the %,d bytes of global memory on %s are in use;"
                  + " %s",
              what.get(), bytes, bytesHeld, info.globalMemBytes(), info.spec(), HINT));
    }
    cl_mem m =
        ClCall.get(
            "clCreateBuffer",
            () -> what.get() + " (" + bytes + " bytes)",
            () -> CL.clCreateBuffer(runtime.context(), CL_MEM_READ_WRITE, bytes, null, null));
    bytesHeld += bytes;
    return m;
  }

  /** Gives a buffer back for reuse (released outright once the pool is closed). */
  void release(cl_mem m, long bytes) {
    if (closed || !live.remove(m)) {
      return;
    }
    free.computeIfAbsent(bytes, b -> new ArrayDeque<>()).push(m);
  }

  /** Releases every free buffer (not the live ones). */
  void trim() {
    try {
      ReleaseAll.each(free.values(), sized -> ReleaseAll.each(sized, CL::clReleaseMemObject));
    } finally {
      free.forEach((bytes, sized) -> bytesHeld -= bytes * sized.size());
      free.clear();
    }
  }

  /** Buffers handed out and not yet given back. */
  long liveCount() {
    return live.size();
  }

  boolean isOpen() {
    return !closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      ReleaseAll.run(this::trim, () -> ReleaseAll.each(live, CL::clReleaseMemObject));
    } finally {
      live.clear();
      free.clear();
      bytesHeld = 0;
    }
  }
}
