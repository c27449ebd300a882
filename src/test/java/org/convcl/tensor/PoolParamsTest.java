package org.convcl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.convcl.testutil.Expect;
import org.junit.jupiter.api.Test;

class PoolParamsTest {

  @Test
  void kernelAndStrideMustBePositive() {
    Expect.illegalArgument(
        () -> new PoolParams(0, 2, 1, 1, Padding.NONE, false, true), "pool kernel height", "= 0");
    Expect.illegalArgument(
        () -> new PoolParams(2, -1, 1, 1, Padding.NONE, false, true), "pool kernel width", "= -1");
    Expect.illegalArgument(() -> PoolParams.of(2, 0), "pool stride height", "= 0");
    Expect.illegalArgument(
        () -> new PoolParams(2, 2, 1, 0, Padding.NONE, false, true), "pool stride width", "= 0");
  }

  @Test
  void paddingMustBeGivenAndAtMostHalfTheKernel() {
    Expect.illegalArgument(() -> PoolParams.of(2, 2).withPadding(null), "padding", "null");
    // kernel 3: half is 1, so 1 is fine and 2 is not
    assertEquals(Padding.of(1), PoolParams.of(3, 1).withPadding(Padding.of(1)).padding());
    Expect.illegalArgument(
        () -> PoolParams.of(3, 1).withPadding(new Padding(0, 2, 0, 0)),
        "pool padding (height)",
        "0,2,0,0",
        "kernel height 3");
    Expect.illegalArgument(
        () -> new PoolParams(4, 3, 1, 1, new Padding(2, 2, 0, 2), false, true),
        "pool padding (width)",
        "2,2,0,2",
        "kernel width 3");
  }

  @Test
  void withers() {
    PoolParams p =
        PoolParams.of(3, 2)
            .withPadding(Padding.of(1))
            .withCeilMode(true)
            .withCountIncludePad(false);
    assertEquals(new PoolParams(3, 3, 2, 2, Padding.of(1), true, false), p);
  }
}
