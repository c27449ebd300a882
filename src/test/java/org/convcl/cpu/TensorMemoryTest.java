package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** CpuOps' memory ops: upload/read round trips, views share memory, buffers are counted. */
class TensorMemoryTest {

  @Test
  void uploadReadFillCopyRoundTrip() {
    try (CpuOps ops = new CpuOps(1)) {
      float[] data = {1, -2, 3.5f, Float.MIN_VALUE, -0f, 6};
      try (Tensor t = ops.upload(Shape.of(2, 3), data);
          Tensor u = ops.allocate(Shape.of(2, 3), DType.FLOAT32);
          Tensor ints = ops.uploadInts(Shape.of(3), new int[] {7, -8, Integer.MAX_VALUE})) {
        assertArrayEquals(data, ops.read(t));
        assertEquals(Shape.of(2, 3), t.shape());
        assertEquals(DType.FLOAT32, t.dtype());
        assertSame(ops, t.owner());
        ops.copy(t, u);
        assertArrayEquals(data, ops.read(u));
        ops.fill(u, 0.25f);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f}, ops.read(u));
        assertArrayEquals(data, ops.read(t), "copy must not alias its source");
        assertArrayEquals(new int[] {7, -8, Integer.MAX_VALUE}, ops.readInts(ints));
        data[0] = 99;
        assertEquals(1f, ops.read(t)[0], "upload must copy the host array");
      }
    }
  }

  @Test
  void viewSharesMemoryAndOwnsNothing() {
    try (CpuOps ops = new CpuOps(1)) {
      Tensor base = ops.upload(Shape.nchw(2, 3, 1, 1), new float[] {1, 2, 3, 4, 5, 6});
      long live = ops.liveBuffers();
      Tensor flat = ops.view(base, Shape.of(2, 3));
      assertEquals(live, ops.liveBuffers(), "a view allocates nothing");
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, ops.read(flat));
      ops.fill(flat, 7);
      assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, ops.read(base), "writes go through a view");
      flat.close();
      assertEquals(live, ops.liveBuffers(), "closing a view releases nothing");
      assertTrue(base.isOpen());
      base.close();
      assertFalse(base.isOpen());
      assertEquals(live - 1, ops.liveBuffers());
    }
  }

  @Test
  void liveBuffersCountsAllocationsAndReleases() {
    try (CpuOps ops = new CpuOps(1)) {
      long before = ops.liveBuffers();
      Tensor a = ops.allocate(Shape.of(4), DType.FLOAT32);
      Tensor b = ops.allocate(Shape.of(4), DType.INT32);
      assertEquals(before + 2, ops.liveBuffers());
      a.close();
      b.close();
      assertEquals(before, ops.liveBuffers());
    }
  }
}
