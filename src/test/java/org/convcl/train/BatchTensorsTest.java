package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.convcl.cpu.CpuOps;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Test;

/** A failed allocation must not leave the earlier batch tensors live (review #13). */
class BatchTensorsTest {
  @Test
  void aFailedAllocationReleasesTheEarlierTensors() {
    try (CpuOps ops = new CpuOps()) {
      // images and labels fit; the [2][1.5e9] probabilities cannot be a Java array.
      assertThrows(
          IllegalArgumentException.class,
          () -> new BatchTensors(ops, 2, Shape.of(1, 2, 2), 1_500_000_000));
      assertEquals(0, ops.liveBuffers(), "images and labels must have been closed");
    }
  }
}
