package org.convcl.cl;

import static org.jocl.CL.CL_FALSE;

import org.convcl.ops.StagedRead;
import org.jocl.CL;
import org.jocl.cl_event;

/**
 * Staged reads of one device tensor into {@link PinnedStaging}: a request enqueues a non-blocking
 * {@code clEnqueueReadBuffer} into the pinned memory, on the in-order queue, so it reads what the
 * kernels enqueued before it wrote; the result waits for that transfer only (done already after any
 * later blocking read) and copies it out.
 */
final class PinnedRead implements StagedRead {
  private final ClRuntime runtime;
  private final ClTensor src;
  private final PinnedStaging staging;

  PinnedRead(ClRuntime runtime, ClTensor src, PinnedStaging staging) {
    this.runtime = runtime;
    this.src = src;
    this.staging = staging;
  }

  @Override
  public void request() {
    staging.awaitInFlight(); // a request whose result was never taken: the memory is rewritten
    cl_event event = new cl_event();
    ClCall.run(
        "clEnqueueReadBuffer",
        () -> "staged read of " + src.shape(),
        () ->
            CL.clEnqueueReadBuffer(
                runtime.queue(),
                src.buffer(),
                CL_FALSE,
                0,
                src.bytes(),
                staging.host(),
                0,
                null,
                event));
    staging.inFlight(event);
  }

  @Override
  public float[] floats() {
    staging.awaitInFlight();
    float[] out = new float[src.shape().size()];
    staging.floats().get(0, out);
    return out;
  }

  @Override
  public int[] ints() {
    staging.awaitInFlight();
    int[] out = new int[src.shape().size()];
    staging.ints().get(0, out);
    return out;
  }

  @Override
  public void close() {
    staging.close();
  }
}
