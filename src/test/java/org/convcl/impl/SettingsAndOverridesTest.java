package org.convcl.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convcl.testutil.Expect;
import org.junit.jupiter.api.Test;

/** The text forms of settings and overrides, and their errors. */
class SettingsAndOverridesTest {
  @Test
  void settingsRoundTripSortedByName() {
    Settings s = Settings.parse(" WG=32, CONV_KB=4 ");
    assertEquals("CONV_KB=4,WG=32", s.toString());
    assertEquals(s, Settings.parse(s.toString()));
    assertEquals("-DCONV_KB=4 -DWG=32", s.defines());
    assertEquals(Settings.NONE, Settings.parse("-"));
    Expect.illegalArgument(() -> Settings.parse("CONV_KB"), "'CONV_KB' must be NAME=integer");
    Expect.illegalArgument(() -> Settings.parse("CONV_KB=x"), "'CONV_KB=x' must be NAME=integer");
  }

  @Test
  void overridesParseEveryFormAndNameWhatIsWrong() {
    Overrides o =
        Overrides.parse(
            List.of(
                "convForward=conv_forward_v2:CONV_KB=4;convBackwardInput=conv_backward_input_v1"));
    assertEquals("conv_forward_v2", o.get(Pass.CONV_FORWARD).implementation());
    assertEquals("CONV_KB=4", o.get(Pass.CONV_FORWARD).settings().toString());
    assertEquals(Settings.NONE, o.get(Pass.CONV_BACKWARD_INPUT).settings());
    assertNull(o.get(Pass.CONV_BACKWARD_FILTER));
    assertTrue(Overrides.parse(List.of(" ")).isEmpty());
    Overrides scoped =
        Overrides.parse(List.of("convForward@pointwise=dense_gemm_v1 convForward=conv_forward_v1"));
    assertEquals(
        "dense_gemm_v1",
        scoped.get(Pass.CONV_FORWARD, List.of(ShapeKey.POINTWISE, ShapeKey.ANY)).implementation());
    assertEquals(
        "conv_forward_v1", scoped.get(Pass.CONV_FORWARD, List.of(ShapeKey.ANY)).implementation());
    Expect.illegalArgument(
        () -> Overrides.parse(List.of("convForward@big=x")), "must be pointwise, depthwise or *");
    Expect.illegalArgument(() -> Overrides.parse(List.of("convForward")), "PASS=IMPLEMENTATION");
    Expect.illegalArgument(
        () -> Overrides.parse(List.of("convSideways=x")), "pass = convSideways: unknown");
  }

  @Test
  void tunableDefaultsMustBeLegal() {
    Expect.illegalArgument(() -> Tunable.of("CONV_KB", 3, 1, 2, 4), "must be one of its legal");
    Expect.illegalArgument(() -> Tunable.of("kb", 1, 1), "must be UPPER_CASE");
  }
}
