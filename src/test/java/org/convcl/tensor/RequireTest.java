package org.convcl.tensor;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.convcl.testutil.Expect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rule of {@link Require}: accepted edge values pass, each violation names name and value.
 */
class RequireTest {

  @Test
  void positiveAcceptsOneRejectsZeroAndNegative() {
    assertEquals(1, Require.positive("stride", 1));
    Expect.illegalArgument(() -> Require.positive("stride", 0), "stride", "= 0", "at least 1");
    Expect.illegalArgument(() -> Require.positive("stride", -7), "stride", "= -7");
  }

  @Test
  void nonNegativeAcceptsZeroRejectsNegative() {
    assertEquals(0, Require.nonNegative("padding top", 0));
    Expect.illegalArgument(
        () -> Require.nonNegative("padding top", -1), "padding top", "= -1", "not be negative");
  }

  @ParameterizedTest
  @ValueSource(floats = {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
  void positiveFiniteRejects(float value) {
    Expect.illegalArgument(
        () -> Require.positiveFinite("learning rate", value),
        "learning rate",
        "= " + value,
        "greater than 0");
  }

  @ParameterizedTest
  @ValueSource(floats = {-1e-9f, Float.NaN, Float.POSITIVE_INFINITY})
  void nonNegativeFiniteRejects(float value) {
    Expect.illegalArgument(
        () -> Require.nonNegativeFinite("weight decay", value), "weight decay", "= " + value);
  }

  @Test
  void finiteRulesAcceptTheirEdges() {
    assertEquals(Float.MIN_VALUE, Require.positiveFinite("x", Float.MIN_VALUE));
    assertEquals(0f, Require.nonNegativeFinite("x", 0f));
  }

  @Test
  void inRangeIsHalfOpen() {
    assertEquals(0f, Require.inRange("beta1", 0f, 0f, 1f));
    assertEquals(0.999f, Require.inRange("beta1", 0.999f, 0f, 1f));
    Expect.illegalArgument(() -> Require.inRange("beta1", 1f, 0f, 1f), "beta1", "= 1.0", "[0.0");
    Expect.illegalArgument(() -> Require.inRange("beta1", -0.5f, 0f, 1f), "beta1", "= -0.5");
    Expect.illegalArgument(() -> Require.inRange("beta1", Float.NaN, 0f, 1f), "beta1", "NaN");
  }

  @Test
  void thatCompletesTheSentence() {
    assertDoesNotThrow(() -> Require.that(true, "groups", 3, "never shown"));
    String m =
        Expect.illegalArgument(() -> Require.that(false, "groups", 3, "must divide C"), "groups");
    assertEquals("groups = 3: must divide C", m);
  }

  @Test
  void sameShapeNamesOpTensorAndBothShapes() {
    assertDoesNotThrow(() -> Require.sameShape("op", "x", Shape.of(2, 3), Shape.of(2, 3)));
    Expect.illegalArgument(
        () -> Require.sameShape("convForward", "bias", Shape.of(4), Shape.of(5)),
        "convForward",
        "bias",
        "5",
        "4");
  }
}
