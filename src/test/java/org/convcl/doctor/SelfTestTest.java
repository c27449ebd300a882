package org.convcl.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.convcl.cl.ClTestSupport;
import org.convcl.contract.Oracle;
import org.convcl.cpu.CpuOps;
import org.convcl.ops.Ops;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The self-test passes on healthy backends and catches a wrong result. */
class SelfTestTest {
  @Test
  void everyCheckPassesOnTheCpuBackend() {
    try (Ops cpu = new CpuOps(2);
        Ops ref = Oracle.open()) {
      List<CheckResult> heard = new ArrayList<>();
      List<CheckResult> results = new SelfTest(cpu, ref).run(heard::add);
      assertEquals(results, heard);
      assertTrue(results.size() > 40, "checks: " + results.size());
      for (CheckResult r : results) {
        assertTrue(r.passed(), r.toString());
      }
    }
  }

  @Test
  @Tag("opencl")
  void everyCheckPassesOnOpenClAndEveryKernelIsBuilt() {
    try (Ops ref = Oracle.open()) {
      List<CheckResult> results = new SelfTest(ClTestSupport.ops(), ref).run(r -> {});
      for (CheckResult r : results) {
        assertTrue(r.passed(), r.toString());
      }
      for (var impl : ClTestSupport.ops().implementations().orElseThrow().all()) {
        String prefix = impl.pass() + " " + impl.name() + " ";
        assertTrue(
            results.stream().anyMatch(r -> r.name().startsWith(prefix)), prefix + "is never run");
      }
    }
  }

  @Test
  void aMismatchNamesTheElementAndIntsCompareExactly() {
    assertEquals(null, SelfTest.differ(new float[] {1f, 2f}, new float[] {1f, 2.00001f}, false));
    assertNotNull(SelfTest.differ(new float[] {1f, 2.1f}, new float[] {1f, 2f}, false));
    assertNotNull(SelfTest.differ(new float[] {Float.NaN}, new float[] {0f}, false));
    assertNotNull(SelfTest.differ(new float[] {3f}, new float[] {3.00001f}, true));
  }
}
