package org.convcl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.convcl.cpu.CpuOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** auto's measurement between non-GPU devices: measured once, kept, keyed by what it depends on. */
class AutoCalibrationTest {
  private static DeviceEntry entry(String spec, String details) {
    return new DeviceEntry(spec, spec + " device", "CPU", DeviceEntry.RANK_PLAIN_JAVA, "", details);
  }

  @Test
  void figuresAreMeasuredOnceAndKept(@TempDir Path dir) {
    Path file = dir.resolve("auto.json");
    List<DeviceEntry> devices = List.of(entry("cpu", "2 threads"), entry("cpu1", "1 thread"));
    AtomicInteger opened = new AtomicInteger();
    Map<String, Ops> kept = new java.util.HashMap<>();
    Map<String, Double> first =
        AutoCalibration.figures(
            devices,
            file,
            d -> {
              opened.incrementAndGet();
              return new CpuOps(d.spec().equals("cpu") ? 2 : 1);
            },
            kept);
    assertEquals(2, opened.get());
    assertEquals(java.util.Set.of("cpu", "cpu1"), kept.keySet(), "left open for the caller");
    kept.values().forEach(Ops::close);
    kept.clear();
    assertTrue(first.get("cpu") > 0 && first.get("cpu1") > 0, first.toString());
    assertTrue(Files.exists(file));
    Map<String, Double> again =
        AutoCalibration.figures(
            devices,
            file,
            d -> {
              throw new AssertionError("measured again");
            },
            kept);
    assertEquals(first, again);
    // Another description of a device (a new driver, another thread count) measures anew.
    List<DeviceEntry> changed = List.of(entry("cpu", "4 threads"), entry("cpu1", "1 thread"));
    AutoCalibration.figures(changed, file, d -> new CpuOps(1), kept);
    kept.values().forEach(Ops::close);
    assertEquals(2, AutoCalibration.readForTest(file).size());
  }

  @Test
  void aDeviceThatFailsToMeasureScoresZero(@TempDir Path dir) {
    Map<String, Double> f =
        AutoCalibration.figures(
            List.of(entry("bad", "")),
            dir.resolve("auto.json"),
            d -> {
              throw new IllegalStateException("driver gone");
            },
            new java.util.HashMap<>());
    assertEquals(0.0, f.get("bad"));
  }
}
