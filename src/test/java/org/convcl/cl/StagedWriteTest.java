package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.convcl.ops.StagedWrite;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Staged writes from pinned memory ({@link PinnedWrite}): each kernel enqueued after a write reads
 * that write's data and no later one, although the writes return without waiting; bad input is
 * refused by name; a staged write left open is released with its backend.
 */
@Tag("opencl")
class StagedWriteTest {
  @Test
  void eachKernelSeesTheWriteBeforeItAndNoLaterOne() {
    ClOps ops = ClTestSupport.ops();
    int n = 50_000; // large enough that a copy still runs when the next write is enqueued
    int rounds = 6;
    java.util.Random r = new java.util.Random(21);
    List<float[]> batches = new ArrayList<>();
    List<Tensor> copies = new ArrayList<>();
    Tensor dst = ops.allocate(Shape.of(n), DType.FLOAT32);
    try (StagedWrite w = ops.stagedWrite(dst)) {
      float[] host = new float[n];
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < n; i++) {
          host[i] = r.nextFloat();
        }
        batches.add(host.clone());
        w.write(host); // the array is reused at once, as the trainer does
        Tensor copy = ops.allocate(Shape.of(n), DType.FLOAT32);
        copies.add(copy);
        ops.copy(dst, copy); // reads dst while the next round refills the staging memory
      }
      for (int round = 0; round < rounds; round++) {
        assertArrayEquals(
            batches.get(round), ops.read(copies.get(round)), "seed 21, round " + round);
      }
    } finally {
      copies.forEach(Tensor::close);
      dst.close();
    }
  }

  @Test
  void intsToo() {
    ClOps ops = ClTestSupport.ops();
    int[] labels = Rand.ints(new java.util.Random(7), 1000, 10);
    try (Tensor t = ops.allocate(Shape.of(1000), DType.INT32);
        StagedWrite w = ops.stagedWrite(t)) {
      w.writeInts(labels);
      assertArrayEquals(labels, ops.readInts(t));
    }
  }

  @Test
  void aWrongLengthOrTypeIsRefusedByName() {
    ClOps ops = ClTestSupport.ops();
    try (Tensor t = ops.allocate(Shape.of(8), DType.FLOAT32);
        StagedWrite w = ops.stagedWrite(t)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> w.write(new float[7]));
      assertTrue(e.getMessage().contains("data length"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> w.writeInts(new int[8]));
      assertTrue(e.getMessage().contains("dtype"), e.getMessage());
    }
  }

  @Test
  void aStagedWriteLeftOpenIsReleasedWithItsBackend() {
    ClOps ops = ClOps.open(ClTestSupport.ops().device());
    Tensor t = ops.allocate(Shape.of(64), DType.FLOAT32);
    StagedWrite w = ops.stagedWrite(t);
    w.write(new float[64]);
    assertDoesNotThrow(ops::close);
    assertDoesNotThrow(w::close, "a second close does nothing");
  }
}
