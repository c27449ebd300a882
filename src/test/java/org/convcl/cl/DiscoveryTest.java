package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.convcl.testutil.Jvm;
import org.jocl.CL;
import org.jocl.CLException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Device discovery from several threads at once, and the errors it reports. */
@Tag("opencl")
class DiscoveryTest {
  private static final int THREADS = 4;

  /**
   * Lists the devices from {@link #THREADS} threads released at once, in a fresh JVM (the first
   * enumeration of a process is the fragile one), and prints one line per thread.
   */
  public static void main(String[] args) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  return "ok " + ClDevices.list();
                } catch (RuntimeException e) {
                  return "failed " + e;
                }
              }));
    }
    for (Future<String> f : results) {
      System.out.println(f.get());
    }
    pool.shutdown();
  }

  @Test
  void threadsDiscoveringAtOnceAllSucceedWithTheSameDevices() throws Exception {
    ClTestSupport.ops(); // skips (or fails under CONVCL_REQUIRE_OPENCL=1) without OpenCL
    for (int run = 0; run < 5; run++) {
      Process p = Jvm.of(List.of(), DiscoveryTest.class).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run " + run + " hangs:\n" + out);
      assertEquals(0, p.exitValue(), "run " + run + ":\n" + out);
      List<String> lines =
          out.lines().filter(l -> l.startsWith("ok ") || l.startsWith("failed ")).toList();
      assertEquals(THREADS, lines.size(), "run " + run + ":\n" + out);
      for (String l : lines) {
        assertEquals(lines.get(0), l, "run " + run + ":\n" + out);
        assertTrue(l.startsWith("ok "), "run " + run + ":\n" + out);
      }
    }
  }

  @Test
  void aFailingDeviceQueryReportsItsOpenClError() {
    ClDevices.DeviceIds failing =
        (platform, type, entries, out, count) -> {
          throw new CLException("injected", CL.CL_OUT_OF_HOST_MEMORY);
        };
    ClException e =
        assertThrows(ClException.class, () -> ClDevices.devices(null, 0, "Test platform", failing));
    assertEquals(CL.CL_OUT_OF_HOST_MEMORY, e.status());
    assertTrue(e.getMessage().contains("CL_OUT_OF_HOST_MEMORY"), e.getMessage());
    assertTrue(e.getMessage().contains("clGetDeviceIDs"), e.getMessage());
    assertFalse(e.getMessage().contains("pocl"), e.getMessage());
    ClDevices.DeviceIds none =
        (platform, type, entries, out, count) -> {
          throw new CLException("none", CL.CL_DEVICE_NOT_FOUND);
        };
    assertEquals(0, ClDevices.devices(null, 0, "Empty platform", none).length);
  }
}
