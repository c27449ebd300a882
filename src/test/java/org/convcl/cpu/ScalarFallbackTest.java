package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU backend without the Vector API, for real: a child JVM started without {@code
 * --add-modules jdk.incubator.vector} must pick the scalar kernel, log once how to get the SIMD
 * one, and compute every convolution pass and dense product with the same bits as this JVM (which
 * surefire starts with the module): both kernels evaluate each result as the same chain of fused
 * multiply-adds. The SIMD results themselves are checked against the naive loops elsewhere
 * (ConvLoweringTest, SgemmTest).
 */
class ScalarFallbackTest {
  @Test
  void withoutTheModuleTheScalarKernelGivesTheSameBits(@TempDir Path dir)
      throws IOException, InterruptedException {
    try (CpuOps here = new CpuOps(1)) {
      assertTrue(
          here.describe().contains("SIMD"),
          "this JVM must run with --add-modules jdk.incubator.vector (surefire's argLine)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path results = dir.resolve("results.bin");
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ScalarFallbackProbe.class.getName(),
                results.toString()));
    pb.redirectErrorStream(true);
    Path log = dir.resolve("probe.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe JVM timed out");
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("describe=cpu") && out.contains("scalar kernel"), out);
    int hints = out.split("--add-modules jdk.incubator.vector; using the scalar", -1).length - 1;
    assertEquals(1, hints, "one log line with the hint, not one per backend:\n" + out);

    List<float[]> expected = ScalarFallbackProbe.compute();
    List<float[]> actual = read(results);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "result " + i + " of the probe");
    }
  }

  private static List<float[]> read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      int count = in.readInt();
      List<float[]> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        float[] a = new float[in.readInt()];
        for (int j = 0; j < a.length; j++) {
          a[j] = Float.intBitsToFloat(in.readInt());
        }
        out.add(a);
      }
      return out;
    }
  }
}
