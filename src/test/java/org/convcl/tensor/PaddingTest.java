package org.convcl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.convcl.testutil.Expect;
import org.junit.jupiter.api.Test;

class PaddingTest {

  @Test
  void everySideMustNotBeNegative() {
    Expect.illegalArgument(() -> new Padding(-1, 0, 0, 0), "padding top", "= -1");
    Expect.illegalArgument(() -> new Padding(0, -2, 0, 0), "padding bottom", "= -2");
    Expect.illegalArgument(() -> new Padding(0, 0, -3, 0), "padding left", "= -3");
    Expect.illegalArgument(() -> new Padding(0, 0, 0, -4), "padding right", "= -4");
    Expect.illegalArgument(() -> Padding.of(-1), "padding top", "= -1");
  }

  @Test
  void factoriesAndSymmetry() {
    assertEquals(new Padding(2, 2, 2, 2), Padding.of(2));
    assertEquals(new Padding(1, 1, 3, 3), Padding.of(1, 3));
    assertTrue(Padding.of(1, 3).isSymmetric());
    assertFalse(new Padding(0, 1, 0, 1).isSymmetric());
    assertEquals("2", Padding.of(2).toString());
    assertEquals("0,1,2,3", new Padding(0, 1, 2, 3).toString());
  }
}
