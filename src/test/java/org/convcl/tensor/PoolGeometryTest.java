package org.convcl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.convcl.testutil.Expect;
import org.junit.jupiter.api.Test;

class PoolGeometryTest {
  private static final PoolParams P2 = PoolParams.of(2, 2);

  @Test
  void dimensionsMustBePositive() {
    Expect.illegalArgument(() -> new PoolGeometry(0, 1, 4, 4, P2, 2, 2), "batch size N", "= 0");
    Expect.illegalArgument(() -> new PoolGeometry(1, 0, 4, 4, P2, 2, 2), "channels C", "= 0");
    Expect.illegalArgument(() -> new PoolGeometry(1, 1, 0, 4, P2, 2, 2), "height H", "= 0");
    Expect.illegalArgument(() -> new PoolGeometry(1, 1, 4, -1, P2, 2, 2), "width W", "= -1");
  }

  @Test
  void kernelMustFitThePaddedInput() {
    Expect.illegalArgument(
        () -> PoolGeometry.of(1, 1, 2, 5, PoolParams.of(3, 1)),
        "pool kernel height",
        "= 3",
        "padded input height 2");
    Expect.illegalArgument(
        () -> PoolGeometry.of(1, 1, 5, 2, PoolParams.of(3, 1)),
        "pool kernel width",
        "= 3",
        "padded input width 2");
    // with padding 1 the 3-wide window fits in 2 + 2 cells: positions 0 and 1
    assertEquals(
        2, PoolGeometry.of(1, 1, 2, 2, PoolParams.of(3, 1).withPadding(Padding.of(1))).outH());
  }

  @Test
  void givenOutputSizeMustMatchTheRule() {
    Expect.illegalArgument(
        () -> new PoolGeometry(1, 1, 4, 4, P2, 3, 2), "output height", "= 3", "must be 2");
    Expect.illegalArgument(
        () -> new PoolGeometry(1, 1, 4, 4, P2, 2, 1), "output width", "= 1", "must be 2");
  }

  @Test
  void ceilModeSizes() {
    // 5 wide, pad 1, k 2, s 2: floor 3; ceil would add a window of right padding only: still 3
    PoolParams p = P2.withPadding(Padding.of(1));
    assertEquals(3, PoolGeometry.of(1, 1, 5, 5, p).outW());
    assertEquals(3, PoolGeometry.of(1, 1, 5, 5, p.withCeilMode(true)).outW());
    // 6 wide, k 3, s 2: floor 2 (starts 0, 2); ceil 3 (partial window at 4 sees cell 5)
    PoolParams q = new PoolParams(3, 3, 2, 2, Padding.NONE, false, true);
    assertEquals(2, PoolGeometry.of(1, 1, 6, 6, q).outW());
    PoolGeometry ceil = PoolGeometry.of(Shape.nchw(2, 3, 6, 7), q.withCeilMode(true));
    assertEquals(Shape.nchw(2, 3, 3, 3), ceil.outputShape());
    assertEquals(Shape.nchw(4, 3, 3, 3), ceil.withBatch(4).outputShape());
    Expect.illegalArgument(() -> PoolGeometry.of(Shape.of(3, 6, 7), q), "pool input", "rank 4");
  }
}
