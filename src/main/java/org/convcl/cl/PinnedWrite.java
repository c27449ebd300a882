package org.convcl.cl;

import static org.jocl.CL.CL_FALSE;
import static org.jocl.CL.CL_MAP_WRITE;
import static org.jocl.CL.CL_MEM_ALLOC_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.function.Consumer;
import org.convcl.ops.StagedWrite;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_event;
import org.jocl.cl_mem;

/**
 * Staged writes into one device tensor from pinned host memory: a staging buffer allocated by the
 * driver in host memory ({@code CL_MEM_ALLOC_HOST_PTR}) and mapped once for its whole life, so the
 * host writes the data straight into memory the device can read by DMA, and a non-blocking {@code
 * clEnqueueWriteBuffer} from that mapping returns at once (from pageable Java memory the driver
 * must copy or wait before returning).
 *
 * <p>Ordering: the staging memory is rewritten only after the transfer that last read it has
 * completed (its event); the device tensor is rewritten by a transfer enqueued on the runtime's
 * in-order queue, so after every kernel enqueued before it, which may still read the old contents,
 * and before every kernel enqueued after it. A write waits for nothing else.
 */
final class PinnedWrite implements StagedWrite {
  private final ClRuntime runtime;
  private final ClTensor dst;
  private final Consumer<PinnedWrite> closed;
  private final cl_mem staging;
  private final ByteBuffer mapped;
  private final FloatBuffer floats;
  private final IntBuffer ints;
  private cl_event inFlight; // the last transfer, until it is known to be done
  private boolean released;

  PinnedWrite(ClRuntime runtime, ClTensor dst, Consumer<PinnedWrite> closed) {
    this.runtime = runtime;
    this.dst = dst;
    this.closed = closed;
    long bytes = dst.bytes();
    this.staging =
        ClCall.get(
            "clCreateBuffer(CL_MEM_ALLOC_HOST_PTR)",
            this::what,
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
                  this::what,
                  () ->
                      CL.clEnqueueMapBuffer(
                          runtime.queue(),
                          staging,
                          CL_TRUE,
                          CL_MAP_WRITE,
                          0,
                          bytes,
                          0,
                          null,
                          null,
                          null))
              .order(ByteOrder.nativeOrder());
    } catch (RuntimeException e) {
      CL.clReleaseMemObject(staging);
      throw e;
    }
    this.floats = mapped.asFloatBuffer();
    this.ints = mapped.asIntBuffer();
  }

  @Override
  public void write(float[] data) {
    awaitInFlight();
    floats.put(0, data);
    send();
  }

  @Override
  public void writeInts(int[] data) {
    awaitInFlight();
    ints.put(0, data);
    send();
  }

  private void send() {
    cl_event event = new cl_event();
    ClCall.run(
        "clEnqueueWriteBuffer",
        this::what,
        () ->
            CL.clEnqueueWriteBuffer(
                runtime.queue(),
                dst.buffer(),
                CL_FALSE,
                0,
                dst.bytes(),
                Pointer.to(mapped),
                0,
                null,
                event));
    inFlight = event;
  }

  /** Normally the transfer of the batch before last: long done, so this does not wait. */
  private void awaitInFlight() {
    if (inFlight == null) {
      return;
    }
    cl_event e = inFlight;
    inFlight = null;
    try {
      ClCall.run("clWaitForEvents", this::what, () -> CL.clWaitForEvents(1, new cl_event[] {e}));
    } finally {
      CL.clReleaseEvent(e);
    }
  }

  private String what() {
    return "staged write into " + dst.shape() + " (" + dst.bytes() + " bytes)";
  }

  @Override
  public void close() {
    if (released) {
      return;
    }
    released = true;
    try {
      ReleaseAll.run(
          this::awaitInFlight,
          () -> CL.clEnqueueUnmapMemObject(runtime.queue(), staging, mapped, 0, null, null),
          () -> CL.clReleaseMemObject(staging));
    } finally {
      closed.accept(this);
    }
  }
}
