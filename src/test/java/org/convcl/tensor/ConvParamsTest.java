package org.convcl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.convcl.testutil.Expect;
import org.junit.jupiter.api.Test;

class ConvParamsTest {
  private static final ConvParams BASE = ConvParams.of(3);

  @Test
  void kernelStrideDilationAndGroupsMustBePositive() {
    Expect.illegalArgument(() -> BASE.withKernel(0, 3), "kernel height", "= 0");
    Expect.illegalArgument(() -> BASE.withKernel(3, -1), "kernel width", "= -1");
    Expect.illegalArgument(() -> BASE.withStride(0), "stride height", "= 0");
    Expect.illegalArgument(() -> BASE.withStride(1, 0), "stride width", "= 0");
    Expect.illegalArgument(() -> BASE.withDilation(0, 1), "dilation height", "= 0");
    Expect.illegalArgument(() -> BASE.withDilation(1, -2), "dilation width", "= -2");
    Expect.illegalArgument(() -> BASE.withGroups(0), "groups", "= 0");
  }

  @Test
  void paddingMustBeGivenAndNotNegative() {
    Expect.illegalArgument(() -> BASE.withPadding((Padding) null), "padding", "null");
    Expect.illegalArgument(() -> BASE.withPadding(-1), "padding top", "= -1");
  }

  @Test
  void withersChangeOneField() {
    ConvParams p =
        BASE.withKernel(2, 5)
            .withStride(2, 3)
            .withPadding(new Padding(0, 1, 2, 3))
            .withDilation(2, 1)
            .withGroups(4)
            .withBias(false);
    assertEquals(new ConvParams(2, 5, 2, 3, new Padding(0, 1, 2, 3), 2, 1, 4, false), p);
    assertEquals(new ConvParams(3, 3, 1, 1, Padding.NONE, 1, 1, 1, true), BASE);
  }
}
