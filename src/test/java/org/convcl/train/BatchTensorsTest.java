package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.convcl.cpu.CpuOps;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Test;

/** A failed allocation must not leave the earlier batch tensors live. */
class BatchTensorsTest {
  @Test
  void aFailedAllocationReleasesTheEarlierTensors() {
    try (CpuOps ops = new CpuOps()) {
      // images and labels fit; the [2][1e9] probabilities (8 GB) exceed the test JVM's heap, so
      // the allocation fails at once (an OutOfMemoryError, or the backend's own guard).
      assertThrows(
          Throwable.class, () -> new BatchTensors(ops, 2, Shape.of(1, 2, 2), 1_000_000_000));
      // CpuOps counts a buffer live before its array exists, so the failed allocation itself may
      // still be counted (reported to the backend's owner); images and labels must not be.
      assertTrue(ops.liveBuffers() <= 1, ops.liveBuffers() + " live: images and labels leaked");
    }
  }
}
