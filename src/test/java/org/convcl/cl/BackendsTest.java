package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.convcl.cpu.CpuOps;
import org.convcl.ops.Backends;
import org.convcl.ops.Ops;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Device selection with OpenCL present (the CPU-only paths are tested without a device elsewhere).
 */
@Tag("opencl")
class BackendsTest {
  @Test
  void openclAndAutoOpenAnOpenClDevice() {
    ClDeviceInfo first = ClTestSupport.ops().device();
    try (Ops ops = Backends.open("opencl")) {
      assertInstanceOf(ClOps.class, ops);
    }
    try (Ops ops = Backends.open("auto")) {
      // Without a GPU, auto takes whichever of the OpenCL device and plain Java measured faster.
      if (first.isGpu()) {
        assertInstanceOf(ClOps.class, ops, "auto prefers a GPU");
      } else {
        java.nio.file.Path figures = org.convcl.impl.CacheDirectory.resolve().resolve("auto.json");
        assertTrue(java.nio.file.Files.isRegularFile(figures), "auto measured and kept " + figures);
      }
    }
    try (Ops ops = Backends.open(first.spec())) {
      assertTrue(ops.name().startsWith(first.spec()), ops.name());
    }
    try (Ops ops = Backends.open("cpu")) {
      assertInstanceOf(CpuOps.class, ops);
    }
  }

  @Test
  void unknownDevicesListWhatExists() {
    String spec = ClTestSupport.ops().device().spec();
    for (String bad : new String[] {"gpu", "opencl:9:9", "opencl:x", "opencl:0:0:0"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Backends.open(bad), bad);
      assertTrue(e.getMessage().contains(spec), e.getMessage());
    }
  }
}
