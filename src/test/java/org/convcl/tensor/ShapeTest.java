package org.convcl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.convcl.testutil.Expect;
import org.junit.jupiter.api.Test;

/** Shape's rules (rank >= 1, every dimension >= 1, size fits an array) and its derived values. */
class ShapeTest {

  @Test
  void rejectsRankZero() {
    Expect.illegalArgument(Shape::of, "rank", "= 0");
  }

  @Test
  void rejectsZeroAndNegativeDimensionsNamingTheirIndex() {
    Expect.illegalArgument(() -> Shape.of(2, 0, 3), "dimension 1", "= 0", "at least 1");
    Expect.illegalArgument(() -> Shape.nchw(1, 1, 1, -4), "dimension 3", "= -4");
  }

  @Test
  void rejectsSizesBeyondAJavaArray() {
    Expect.illegalArgument(() -> Shape.of(65536, 65536), "size", "4294967296", "Java array");
  }

  @Test
  void rejectsProductsThatWrapLong() {
    // 65536^4 = 2^64 wrapped to size 0 before the check moved into the loop.
    Expect.illegalArgument(
        () -> Shape.of(65536, 65536, 65536, 65536), "size", "18446744073709551616", "Java array");
  }

  @Test
  void sizeLimitIsTheLargestJavaArray() {
    assertEquals(Integer.MAX_VALUE - 8, Shape.of(Shape.MAX_SIZE).size());
    Expect.illegalArgument(() -> Shape.of(Integer.MAX_VALUE - 7), "size", "2147483640");
    Expect.illegalArgument(() -> Shape.of(Integer.MAX_VALUE), "size", "2147483647");
  }

  @Test
  void nullDimsAreAnIllegalArgument() {
    Expect.illegalArgument(() -> Shape.of((int[]) null), "dims", "must be given");
  }

  @Test
  void requireRankNamesTheTensor() {
    Shape s = Shape.of(2, 3);
    assertEquals(s, s.requireRank("dense input", 2));
    Expect.illegalArgument(() -> s.requireRank("conv input", 4), "conv input", "2x3", "rank 4");
  }

  @Test
  void derivedValues() {
    Shape s = Shape.nchw(2, 3, 4, 5);
    assertEquals(4, s.rank());
    assertEquals(120, s.size());
    assertEquals(2, s.batch());
    assertEquals(60, s.perItem());
    assertEquals(Shape.nchw(7, 3, 4, 5), s.withBatch(7));
    assertEquals("2x3x4x5", s.toString());
    assertEquals(Shape.of(2, 3, 4, 5), s);
    assertNotEquals(Shape.of(2, 3, 5, 4), s);
    Expect.illegalArgument(() -> s.withBatch(0), "dimension 0", "= 0");
  }

  @Test
  void dimsIsADefensiveCopy() {
    Shape s = Shape.of(2, 3);
    s.dims()[0] = 99;
    assertEquals(2, s.dim(0));
  }
}
