package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.convcl.impl.CacheDirectory;
import org.convcl.testutil.Required;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device selection without OpenCL, for real: a child JVM whose ICD loader is pointed at an empty
 * vendor directory ({@code OCL_ICD_VENDORS}) sees no platform. {@code auto} must fall back to the
 * CPU backend and {@code opencl} must fail saying what to install. Needs no device.
 */
class NoOpenClTest {
  @Test
  void autoFallsBackToTheCpuAndOpenClSaysWhatToInstall(@TempDir Path emptyVendors)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java, "-cp", System.getProperty("java.class.path"), NoOpenClProbe.class.getName()));
    pb.environment().put("OCL_ICD_VENDORS", emptyVendors.toString());
    pb.environment().remove("OPENCL_VENDOR_PATH");
    pb.environment().put(CacheDirectory.ENV, emptyVendors.resolve("cache").toString());
    pb.redirectErrorStream(true);
    Path log = emptyVendors.resolve("probe.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM timed out");
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    // An ICD loader that ignores OCL_ICD_VENDORS still finds the platform: the condition cannot be
    // made here.
    Required.that(
        !out.contains("auto=ClOps"), "the ICD loader ignored OCL_ICD_VENDORS; cannot hide OpenCL");
    assertTrue(out.contains("auto=CpuOps"), out);
    assertTrue(out.contains("opencl-error=OpenCL is not available"), out);
    assertTrue(out.contains("pocl-opencl-icd ocl-icd-opencl-dev"), out);
    assertTrue(out.contains("libOpenCL.so"), out);
  }
}
