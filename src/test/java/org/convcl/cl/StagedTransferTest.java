package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.convcl.ops.StagedRead;
import org.convcl.ops.StagedWrite;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Staged writes from and reads into pinned memory ({@link PinnedWrite}, {@link PinnedRead}): each
 * kernel enqueued after a write reads that write's data and no later one, and a read returns the
 * contents at its request, not what kernels enqueued later write, although neither waits; bad input
 * is refused by name; staging left open is released with its backend.
 */
@Tag("opencl")
class StagedTransferTest {
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
  void aReadReturnsTheContentsAtItsRequest() {
    ClOps ops = ClTestSupport.ops();
    int n = 50_000;
    float[] data = Rand.floats(new java.util.Random(22), n);
    try (Tensor t = ops.upload(Shape.of(n), data);
        StagedRead r = ops.stagedRead(t)) {
      for (int round = 0; round < 3; round++) {
        r.request();
        ops.fill(t, round + 1); // enqueued after the request: must not show in its result
        float[] got = r.floats();
        assertArrayEquals(data, got, "seed 22, round " + round);
        java.util.Arrays.fill(data, round + 1);
      }
      IllegalStateException e = assertThrows(IllegalStateException.class, r::floats);
      assertTrue(e.getMessage().contains("no request()"), e.getMessage());
      r.request();
      IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, r::ints);
      assertTrue(wrongType.getMessage().contains("dtype"), wrongType.getMessage());
    }
  }

  @Test
  void intsToo() {
    ClOps ops = ClTestSupport.ops();
    int[] labels = Rand.ints(new java.util.Random(7), 1000, 10);
    try (Tensor t = ops.allocate(Shape.of(1000), DType.INT32);
        StagedWrite w = ops.stagedWrite(t)) {
      w.writeInts(labels);
      try (StagedRead r = ops.stagedRead(t)) {
        r.request();
        assertArrayEquals(labels, r.ints());
      }
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
  void stagingLeftOpenIsReleasedWithItsBackend() {
    ClOps ops = ClOps.open(ClTestSupport.ops().device());
    Tensor t = ops.allocate(Shape.of(64), DType.FLOAT32);
    StagedWrite w = ops.stagedWrite(t);
    StagedRead r = ops.stagedRead(t);
    w.write(new float[64]);
    r.request();
    assertDoesNotThrow(ops::close);
    assertDoesNotThrow(w::close, "a second close does nothing");
    assertDoesNotThrow(r::close, "a second close does nothing");
  }
}
