package org.convcl.cl;

import static org.jocl.CL.CL_FALSE;

import org.convcl.ops.StagedWrite;
import org.jocl.CL;
import org.jocl.cl_event;

/**
 * Staged writes into one device tensor from {@link PinnedStaging}: the host copies the data into
 * the pinned memory and enqueues a non-blocking {@code clEnqueueWriteBuffer} from it.
 *
 * <p>Ordering: the pinned memory is rewritten only after the transfer that last read it has
 * completed; the device tensor is rewritten by a transfer on the runtime's in-order queue, so after
 * every kernel enqueued before it, which may still read the old contents, and before every kernel
 * enqueued after it. A write waits for nothing else.
 */
final class PinnedWrite implements StagedWrite {
  private final ClRuntime runtime;
  private final ClTensor dst;
  private final PinnedStaging staging;

  PinnedWrite(ClRuntime runtime, ClTensor dst, PinnedStaging staging) {
    this.runtime = runtime;
    this.dst = dst;
    this.staging = staging;
  }

  @Override
  public void write(float[] data) {
    staging.awaitInFlight(); // normally the transfer of the batch before last: long done
    staging.floats().put(0, data);
    send();
  }

  @Override
  public void writeInts(int[] data) {
    staging.awaitInFlight();
    staging.ints().put(0, data);
    send();
  }

  private void send() {
    cl_event event = new cl_event();
    ClCall.run(
        "clEnqueueWriteBuffer",
        () -> "staged write into " + dst.shape(),
        () ->
            CL.clEnqueueWriteBuffer(
                runtime.queue(),
                dst.buffer(),
                CL_FALSE,
                0,
                dst.bytes(),
                staging.host(),
                0,
                null,
                event));
    staging.inFlight(event);
  }

  @Override
  public void close() {
    staging.close();
  }
}
