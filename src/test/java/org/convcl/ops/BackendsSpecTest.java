package org.convcl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.convcl.cpu.CpuOps;
import org.convcl.testutil.Expect;
import org.junit.jupiter.api.Test;

/**
 * Device specs and where they come from. The environment lookup is injected, so these tests never
 * touch the real {@code CONVCL_DEVICE}; none of them needs an OpenCL device.
 */
class BackendsSpecTest {
  private static UnaryOperator<String> env(String value) {
    return name -> Map.of(Backends.DEVICE_ENV, value).get(name);
  }

  private static final UnaryOperator<String> NO_ENV = name -> null;

  @Test
  void aGivenSpecWinsOverTheEnvironment() {
    assertEquals(
        new Backends.Resolved("cpu", "device"), Backends.resolve(" CPU ", env("opencl:0:0")));
  }

  @Test
  void aMissingSpecReadsTheEnvironmentThenDefaultsToAuto() {
    assertEquals(
        new Backends.Resolved("opencl:1:0", "$CONVCL_DEVICE"),
        Backends.resolve(null, env(" OpenCL:1:0")));
    assertEquals(new Backends.Resolved("auto", "default"), Backends.resolve("  ", env(" ")));
    assertEquals(new Backends.Resolved("auto", "default"), Backends.resolve(null, NO_ENV));
  }

  @Test
  void theEnvironmentsCpuOpensTheCpuBackend() {
    try (Ops ops = Backends.open(null, env("cpu"))) {
      assertInstanceOf(CpuOps.class, ops);
    }
  }

  /** Before the fix these read "device = null: unknown": the raw, absent argument. */
  @Test
  void aBadSpecFromTheEnvironmentIsNamedAsSuch() {
    Expect.illegalArgument(
        () -> Backends.open(null, env("gpu")), "$CONVCL_DEVICE = gpu: unknown", "available: ");
    Expect.illegalArgument(
        () -> Backends.open("", env("opencl:x")),
        "$CONVCL_DEVICE = opencl:x: must be opencl:<platform>:<device>");
  }

  @Test
  void aBadGivenSpecIsNamedAsTheDevice() {
    Expect.illegalArgument(() -> Backends.open("GPU", NO_ENV), "device = gpu: unknown", "cpu");
  }
}
