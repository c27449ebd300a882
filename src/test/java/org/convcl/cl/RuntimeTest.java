package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.convcl.ops.DeviceMemoryException;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The host side: devices, program cache, errors, allocation limits, several instances. */
@Tag("opencl")
class RuntimeTest {
  @Test
  void devicesAreListedAndDescribed() {
    ClTestSupport.ops();
    List<ClDeviceInfo> devices = ClDevices.list();
    assertFalse(devices.isEmpty());
    for (ClDeviceInfo d : devices) {
      String text = d.describe();
      assertTrue(text.contains(d.name()) && text.contains(d.spec()), text);
      assertTrue(text.contains("compute units") && text.contains("OpenCL C version"), text);
      assertTrue(d.maxAllocBytes() > 0 && d.globalMemBytes() >= d.maxAllocBytes(), text);
    }
  }

  @Test
  void aBrokenProgramThrowsWithFileOptionsAndBuildLog() {
    ProgramCache cache = ClTestSupport.ops().programs();
    String source =
        "__kernel void broken_v1(__global float* x) {\n  x[0] = not_declared_anywhere;\n}\n";
    ClBuildException e =
        assertThrows(ClBuildException.class, () -> cache.build("broken.cl", source, "-DBROKEN=1"));
    assertEquals("broken.cl", e.file());
    assertEquals("-DBROKEN=1", e.options());
    assertTrue(e.buildLog().contains("not_declared_anywhere"), e.buildLog());
    assertTrue(
        e.getMessage().contains("broken.cl") && e.getMessage().contains("-DBROKEN=1"),
        e.getMessage());
  }

  @Test
  void aMissingKernelFileIsNamed() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> KernelSource.read("no_such_kernel.cl"));
    assertTrue(e.getMessage().contains("/opencl/no_such_kernel.cl"), e.getMessage());
  }

  @Test
  void programsAreBuiltOnce() {
    ClOps ops = ClTestSupport.ops();
    try (Tensor t = ops.allocate(Shape.of(10), DType.FLOAT32)) {
      ops.fill(t, 1f);
      int built = ops.programs().programCount();
      for (int i = 0; i < 5; i++) {
        ops.fill(t, i);
        ops.sum(t);
      }
      assertTrue(ops.programs().programCount() <= built + 1, "only reduce.cl may be new");
      int after = ops.programs().programCount();
      ops.sum(t);
      assertEquals(after, ops.programs().programCount());
    }
  }

  @Test
  void anOversizeAllocationIsRefusedUpFront() {
    ClOps ops = ClTestSupport.ops();
    long elements = ops.device().maxAllocBytes() / 4 + 1;
    org.convcl.testutil.Required.that(
        elements <= Integer.MAX_VALUE, "the device allows allocations beyond any Shape");
    long live = ops.liveBuffers();
    DeviceMemoryException e =
        assertThrows(
            DeviceMemoryException.class,
            () -> ops.allocate(Shape.of((int) elements), DType.FLOAT32));
    assertTrue(e.getMessage().contains("maximum single allocation"), e.getMessage());
    assertTrue(e.getMessage().contains(String.format("%,d", elements * 4)), e.getMessage());
    assertEquals(live, ops.liveBuffers());
  }

  @Test
  void anOversizeWorkGroupNamesTheCallTheKernelTheSizeAndTheLimit() {
    ClOps ops = ClTestSupport.ops();
    try (Tensor t = ops.allocate(Shape.of(64), DType.FLOAT32)) {
      Launch l = ops.launch("elementwise.cl", "fill_v1");
      l.args().tensor(ops.cl(t)).i(64).f(0f);
      long tooBig = ops.device().maxWorkGroupSize() * 2;
      ClException e =
          assertThrows(
              ClException.class,
              () ->
                  l.run(new long[] {tooBig}, new long[] {tooBig}, () -> "fill of test tensor 64"));
      assertTrue(e.getMessage().contains("clEnqueueNDRangeKernel(fill_v1)"), e.getMessage());
      assertTrue(e.getMessage().contains("CL_INVALID_WORK_GROUP_SIZE"), e.getMessage());
      assertTrue(e.getMessage().contains("fill of test tensor 64"), e.getMessage());
      // Launch refuses it before the driver, naming the kernel, the size and the kernel's limit.
      assertTrue(e.getMessage().contains("kernel fill_v1"), e.getMessage());
      assertTrue(e.getMessage().contains(tooBig + " work-items"), e.getMessage());
      assertTrue(e.getMessage().contains("limit of " + l.maxGroup()), e.getMessage());
    }
  }

  /** batchnorm.cl is built with a group that its compiled kernels accept. */
  @Test
  void tunedGroupsFitTheirCompiledKernels() {
    ClOps ops = ClTestSupport.ops();
    Launch bn = ops.batchNormLaunch("batchnorm_backward_v1");
    assertTrue(ops.batchNormGroup() <= bn.maxGroup(), ops.batchNormGroup() + " > " + bn.maxGroup());
  }

  @Test
  void twoInstancesOnOneDeviceWorkSideBySide() {
    ClOps first = ClTestSupport.ops();
    ConvGeometry g = ConvGeometry.of(1, 2, 6, 5, 3, ConvParams.of(3).withPadding(1));
    Random r = new Random(3);
    float[] x = Rand.floats(r, g.inputShape().size());
    float[] w = Rand.floats(r, g.weightShape().size());
    float[] expected;
    try (Tensor xt = first.upload(g.inputShape(), x);
        Tensor wt = first.upload(g.weightShape(), w);
        Tensor yt = first.allocate(g.outputShape(), DType.FLOAT32)) {
      first.convForward(xt, wt, null, yt, g);
      expected = first.read(yt);
    }
    Tensor leftOpen;
    try (ClOps second = ClOps.open(first.device())) {
      try (Tensor xt = second.upload(g.inputShape(), x);
          Tensor wt = second.upload(g.weightShape(), w);
          Tensor yt = second.allocate(g.outputShape(), DType.FLOAT32)) {
        second.convForward(xt, wt, null, yt, g);
        assertArrayEquals(expected, second.read(yt));
        try (Tensor mine = first.allocate(g.outputShape(), DType.FLOAT32)) {
          assertThrows(
              IllegalArgumentException.class, () -> second.convForward(xt, wt, null, mine, g));
        }
      }
      leftOpen = second.allocate(Shape.of(3), DType.FLOAT32);
      assertEquals(1, second.liveBuffers());
    }
    assertFalse(leftOpen.isOpen(), "closing the backend releases its tensors");
    leftOpen.close(); // harmless after the backend is gone
    try (Tensor t = first.upload(Shape.of(2), new float[] {1, 2})) {
      assertEquals(3.0, first.sum(t), 0.0, "the first instance still works");
    }
  }
}
