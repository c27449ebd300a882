package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.convcl.ops.DeviceMemoryException;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.Padding;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Required;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend reports an allocation the heap cannot hold as a {@link DeviceMemoryException}
 * naming the tensor, the bytes and a hint, never as a raw OutOfMemoryError or an int overflow.
 */
class HeapExhaustionTest {

  @Test
  void aTensorLargerThanTheHeapIsRefusedWithAHint() {
    long elements = 2_000_000_000L;
    Required.that(
        elements * 4 > Runtime.getRuntime().maxMemory(),
        "this JVM's heap could hold 8 GB; run under the project's surefire -Xmx4g");
    try (CpuOps ops = new CpuOps(1)) {
      DeviceMemoryException e =
          assertThrows(
              DeviceMemoryException.class,
              () -> ops.allocate(Shape.of((int) elements), DType.FLOAT32));
      String m = e.getMessage();
      assertTrue(m.contains("FLOAT32 tensor 2000000000"), m);
      assertTrue(m.contains("8,000,000,000 bytes"), m);
      // A library message: it names the remedy, not a CLI option (the CLI adds those).
      assertTrue(m.contains("smaller batch size") && m.contains("-Xmx") && !m.contains("--"), m);
      assertEquals(0, ops.liveBuffers(), "a refused tensor must not be counted as live");
    }
  }

  /**
   * A 31x31 "same" convolution of a 2000x2000 plane: the tensors are 16 MB each, but its im2col
   * matrix would be 961 x 4,000,000 floats, beyond any Java array. The forward pass packs im2col
   * tiles straight into the GEMM's panels, so it never builds that matrix and computes the layer:
   * with ones everywhere each output counts the taps inside the image (961 in the middle, 16*16 in
   * a corner, 16*31 on an edge's middle).
   */
  @Test
  void aLayerWhoseIm2colMatrixExceedsAnArrayStillRuns() {
    ConvGeometry g =
        ConvGeometry.of(1, 1, 2000, 2000, 1, ConvParams.of(31).withPadding(Padding.of(15)));
    try (CpuOps ops = new CpuOps(1);
        Tensor x = ops.allocate(g.inputShape(), DType.FLOAT32);
        Tensor w = ops.allocate(g.weightShape(), DType.FLOAT32);
        Tensor y = ops.allocate(g.outputShape(), DType.FLOAT32)) {
      ops.fill(x, 1f);
      ops.fill(w, 1f);
      ops.fill(y, Float.NaN);
      ops.convForward(x, w, null, y, g);
      float[] out = ops.read(y);
      assertEquals(961f, out[1000 * 2000 + 1000]);
      assertEquals(256f, out[0]);
      assertEquals(256f, out[2000 * 2000 - 1]);
      assertEquals(16f * 31, out[1000]);
    }
  }
}
