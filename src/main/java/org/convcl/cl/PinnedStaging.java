package org.convcl.cl;

import static org.jocl.CL.CL_MAP_READ;
import static org.jocl.CL.CL_MAP_WRITE;
import static org.jocl.CL.CL_MEM_ALLOC_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_event;
import org.jocl.cl_mem;

/**
 * Pinned host memory for transfers that do not block: a buffer the driver allocates in host memory
 * ({@code CL_MEM_ALLOC_HOST_PTR}), mapped once for its whole life, so the host reads and writes it
 * directly and the device reaches it by DMA. A non-blocking {@code clEnqueueWriteBuffer} or {@code
 * clEnqueueReadBuffer} with this memory as its host side returns at once (from pageable Java memory
 * the driver must copy or wait first). The one transfer in flight is tracked by its event, and the
 * memory is touched by the host only once that transfer has completed ({@link #awaitInFlight}).
 */
final class PinnedStaging implements AutoCloseable {
  private final ClRuntime runtime;
  private final Supplier<String> what;
  private final Consumer<PinnedStaging> closed;
  private final cl_mem buffer;
  private final ByteBuffer mapped;
  private final FloatBuffer floats;
  private final IntBuffer ints;
  private cl_event inFlight;
  private boolean released;

  /** {@code closed} hears of the release (the owner's list of live staging memory). */
  PinnedStaging(
      ClRuntime runtime, long bytes, Supplier<String> what, Consumer<PinnedStaging> closed) {
    this.runtime = runtime;
    this.what = what;
    this.closed = closed;
    this.buffer =
        ClCall.get(
            "clCreateBuffer(CL_MEM_ALLOC_HOST_PTR)",
            what,
            () ->
                CL.clCreateBuffer(
                    runtime.context(),
                    CL_MEM_ALLOC_HOST_PTR | CL_MEM_READ_WRITE,
                    bytes,
                    null,
                    null));
    try {
      this.mapped =
          ClCall.get(
                  "clEnqueueMapBuffer",
                  what,
                  () ->
                      CL.clEnqueueMapBuffer(
                          runtime.queue(),
                          buffer,
                          CL_TRUE,
                          CL_MAP_READ | CL_MAP_WRITE,
                          0,
                          bytes,
                          0,
                          null,
                          null,
                          null))
              .order(ByteOrder.nativeOrder());
    } catch (RuntimeException e) {
      CL.clReleaseMemObject(buffer);
      throw e;
    }
    this.floats = mapped.asFloatBuffer();
    this.ints = mapped.asIntBuffer();
  }

  /** The host side of a transfer. */
  Pointer host() {
    return Pointer.to(mapped);
  }

  FloatBuffer floats() {
    return floats;
  }

  IntBuffer ints() {
    return ints;
  }

  /** Records the transfer just enqueued with {@code event}; the one before must be awaited. */
  void inFlight(cl_event event) {
    inFlight = event;
  }

  /** Waits for the transfer in flight, if any: the host may then touch the memory. */
  void awaitInFlight() {
    if (inFlight == null) {
      return;
    }
    cl_event e = inFlight;
    inFlight = null;
    try {
      ClCall.run("clWaitForEvents", what, () -> CL.clWaitForEvents(1, new cl_event[] {e}));
    } finally {
      CL.clReleaseEvent(e);
    }
  }

  /**
   * Waits for the transfer in flight, unmaps and releases the buffer; a second call does nothing.
   */
  @Override
  public void close() {
    if (released) {
      return;
    }
    released = true;
    try {
      ReleaseAll.run(
          this::awaitInFlight,
          () -> CL.clEnqueueUnmapMemObject(runtime.queue(), buffer, mapped, 0, null, null),
          () -> CL.clReleaseMemObject(buffer));
    } finally {
      closed.accept(this);
    }
  }
}
