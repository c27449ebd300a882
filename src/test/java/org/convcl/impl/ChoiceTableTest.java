package org.convcl.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which entry a lookup prefers, and what survives a save and load. */
class ChoiceTableTest {
  private static final DeviceKey DEVICE =
      new DeviceKey("opencl", "Acme", "sm_90", "Acme X1", "555.1");

  private static TableEntry entry(
      String shape, String vendor, String arch, String device, String driver, String impl) {
    return typed(shape, vendor, arch, device, driver, null, impl);
  }

  private static TableEntry typed(
      String shape,
      String vendor,
      String arch,
      String device,
      String driver,
      String type,
      String impl) {
    return new TableEntry(
        "convForward", shape, vendor, arch, device, driver, type, impl, "-", "", 0);
  }

  @Test
  void aDeviceTypeRanksAboveTheSameLevelWithoutItAndMatchesOnlyItsType() {
    DeviceKey cpu = new DeviceKey("opencl", "AuthenticAMD", "pocl-cpu", "pocl-cpu", "6.0", "CPU");
    DeviceKey gpu = new DeviceKey("opencl", "AuthenticAMD", "gfx90a", "gfx90a", "6.0", "GPU");
    List<TableEntry> shipped =
        List.of(
            entry("*", null, null, null, null, "default"),
            typed("*", null, null, null, null, "CPU", "cpu-class"),
            typed("*", null, null, null, null, "GPU", "gpu-class"),
            entry("*", "AuthenticAMD", null, null, null, "vendor"),
            typed("*", "AuthenticAMD", null, null, null, "GPU", "vendor-gpu"),
            entry("*", "AuthenticAMD", "gfx90a", null, null, "arch"));
    ChoiceTable t = new ChoiceTable("opencl", shipped, List.of(), null);
    assertEquals(
        List.of("vendor", "cpu-class", "default"),
        t.candidates(cpu, Pass.CONV_FORWARD, "s").stream()
            .map(TableEntry::implementation)
            .toList());
    assertEquals(
        List.of("arch", "vendor-gpu", "vendor", "gpu-class", "default"),
        t.candidates(gpu, Pass.CONV_FORWARD, "s").stream()
            .map(TableEntry::implementation)
            .toList());
    DeviceKey untyped = new DeviceKey("cpu", "amd64", "scalar", "plain Java", "17");
    assertEquals(
        List.of("default"),
        t.candidates(untyped, Pass.CONV_FORWARD, "s").stream()
            .map(TableEntry::implementation)
            .toList(),
        "a key without a type matches no typed entry");
  }

  @Test
  void theMostSpecificDeviceMatchWinsThenTheExactShapeThenTunedEntries() {
    String shape = "c1 h28 w28 k20 r5x5 st1x1 p0,0,0,0 d1x1 g1";
    List<TableEntry> shipped =
        List.of(
            entry("*", null, null, null, null, "default"),
            entry(shape, "Acme", null, null, null, "vendor-shape"),
            entry("*", "Acme", "sm_90", null, null, "arch-any"),
            entry("*", "Other", null, null, null, "other-vendor"),
            entry("*", null, null, "Acme X1", "999", "other-driver"));
    List<TableEntry> tuned = List.of(entry("*", null, "sm_90", null, null, "arch-any-tuned"));
    ChoiceTable t = new ChoiceTable("opencl", shipped, tuned, null);
    List<String> order =
        t.candidates(DEVICE, Pass.CONV_FORWARD, shape).stream()
            .map(TableEntry::implementation)
            .toList();
    assertEquals(List.of("arch-any-tuned", "arch-any", "vendor-shape", "default"), order);
    assertEquals(List.of(), t.candidates(DEVICE, Pass.CONV_BACKWARD_INPUT, shape), "other passes");
  }

  @Test
  void tunedEntriesSurviveASaveAndReplaceTheirSlot(@TempDir Path dir) throws IOException {
    ChoiceTable t = ChoiceTable.load("opencl", dir);
    Choice a = new Choice("conv_forward_v1", Settings.parse("WG=32"), "tuner");
    Choice b = new Choice("conv_forward_v2", Settings.parse("CONV_KB=4,WG=64"), "tuner");
    t.put(TableEntry.forDevice(DEVICE, Pass.CONV_FORWARD, "s", a, "h1", 1.5));
    t.put(TableEntry.forDevice(DEVICE, Pass.CONV_FORWARD, "s", b, "h2", 2.5));
    t.save();
    ChoiceTable back = ChoiceTable.load("opencl", dir);
    assertEquals(1, back.tunedEntries().size(), back.tunedEntries().toString());
    TableEntry e = back.tunedEntries().get(0);
    assertEquals("conv_forward_v2", e.implementation());
    assertEquals("CONV_KB=4,WG=64", e.settings());
    assertEquals("h2", e.sourceHash());
    assertEquals("Acme X1", e.device());
    assertTrue(Files.exists(dir.resolve("choices/opencl.json")));
    try (var files = Files.list(dir.resolve("choices"))) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void anUnreadableUserTableIsIgnored(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("choices"));
    Files.writeString(dir.resolve("choices/opencl.json"), "{ not json");
    assertEquals(List.of(), ChoiceTable.load("opencl", dir).tunedEntries());
    Files.writeString(
        dir.resolve("choices/opencl.json"),
        "{\"format\":\"convcl-choices\",\"version\":1,\"backend\":\"cpu\",\"entries\":[]}");
    assertEquals(List.of(), ChoiceTable.load("opencl", dir).tunedEntries(), "another backend's");
  }

  @Test
  void theShippedOpenClTableNamesADefaultForEveryPass() {
    ChoiceTable t = ChoiceTable.shippedOnly("opencl");
    for (Pass p : Pass.values()) {
      assertTrue(!t.candidates(DEVICE, p, "any shape").isEmpty(), p.toString());
    }
  }
}
