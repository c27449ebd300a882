package org.convcl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.convcl.testutil.Expect;
import org.junit.jupiter.api.Test;

class ConvGeometryTest {
  private static final ConvParams P3 = ConvParams.of(3);

  @Test
  void dimensionsMustBePositive() {
    Expect.illegalArgument(() -> new ConvGeometry(0, 1, 5, 5, 1, P3, 3, 3), "batch size N", "= 0");
    Expect.illegalArgument(() -> new ConvGeometry(1, 0, 5, 5, 1, P3, 3, 3), "channels C", "= 0");
    Expect.illegalArgument(() -> new ConvGeometry(1, 1, -5, 5, 1, P3, 3, 3), "height H", "= -5");
    Expect.illegalArgument(() -> new ConvGeometry(1, 1, 5, 0, 1, P3, 3, 3), "width W", "= 0");
    Expect.illegalArgument(() -> new ConvGeometry(1, 1, 5, 5, 0, P3, 3, 3), "channels K", "= 0");
  }

  @Test
  void hugeDilationIsRejectedNotWrapped() {
    // 2^31-1 * 2 + 1 wrapped to -1 in int, so this passed with outH = 7 > H = 5.
    ConvParams p = ConvParams.of(3).withDilation(Integer.MAX_VALUE, 1);
    Expect.illegalArgument(
        () -> ConvGeometry.of(1, 1, 5, 5, 1, p),
        "kernel height",
        "spans 4294967295 rows",
        "padded input height 5");
  }

  @Test
  void hugePaddingNamesTheTruePaddedSize() {
    int big = 1 << 30;
    // 5 + 2^30 + 2^30 = 2147483653 was printed as -2147483643.
    Expect.illegalArgument(
        () -> ConvGeometry.of(1, 1, 5, 5, 1, ConvParams.of(3).withPadding(big)),
        "input height H plus padding",
        "2147483653",
        "at most 2147483647");
  }

  @Test
  void outputSizeBeyondIntIsRejected() {
    int h = Integer.MAX_VALUE - 10;
    assertEquals(Integer.MAX_VALUE, OutputSize.floor(h, 5, 5, 1, 1, 1));
    // A padded length of 2^31 used to wrap negative and give 0 windows.
    Expect.illegalArgument(() -> OutputSize.floor(h, 5, 6, 1, 1, 1), "output size", "2147483648");
  }

  @Test
  void channelsMustDivideIntoGroups() {
    ConvParams g2 = P3.withGroups(2);
    Expect.illegalArgument(
        () -> ConvGeometry.of(1, 3, 5, 5, 4, g2), "input channels C", "= 3", "groups = 2");
    Expect.illegalArgument(
        () -> ConvGeometry.of(1, 4, 5, 5, 3, g2), "output channels K", "= 3", "groups = 2");
  }

  @Test
  void kernelMustFitThePaddedInput() {
    Expect.illegalArgument(
        () -> ConvGeometry.of(1, 1, 4, 6, 1, ConvParams.of(5)),
        "kernel height",
        "= 5",
        "padded input height 4");
    Expect.illegalArgument(
        () -> ConvGeometry.of(1, 1, 6, 4, 1, ConvParams.of(5)),
        "kernel width",
        "= 5",
        "padded input width 4");
    // dilation 2 spreads a 3-tap kernel over 5 cells: too tall for 4 rows, fits with padding 1
    Expect.illegalArgument(
        () -> ConvGeometry.of(1, 1, 4, 9, 1, P3.withDilation(2)), "kernel height", "spans 5");
    assertEquals(2, ConvGeometry.of(1, 1, 4, 9, 1, P3.withDilation(2).withPadding(1)).outH());
  }

  @Test
  void givenOutputSizeMustMatchTheRule() {
    // 5 rows, 3-tap kernel, stride 1: 3 positions
    Expect.illegalArgument(
        () -> new ConvGeometry(1, 1, 5, 5, 1, P3, 4, 3), "output height", "= 4", "must be 3");
    Expect.illegalArgument(
        () -> new ConvGeometry(1, 1, 5, 5, 1, P3, 3, 0), "output width", "= 0", "must be 3");
  }

  @Test
  void shapesOfAGroupedStridedPaddedConvolution() {
    ConvParams p = P3.withKernel(3, 2).withStride(2, 1).withPadding(new Padding(1, 0, 0, 1));
    ConvGeometry g = ConvGeometry.of(Shape.nchw(2, 4, 7, 6), 6, p.withGroups(2));
    // H: (7 + 1 + 0 - 3) / 2 + 1 = 3; W: (6 + 0 + 1 - 2) / 1 + 1 = 6
    assertEquals(Shape.nchw(2, 6, 3, 6), g.outputShape());
    assertEquals(Shape.nchw(6, 2, 3, 2), g.weightShape());
    assertEquals(Shape.of(6), g.biasShape());
    assertEquals(Shape.nchw(2, 4, 7, 6), g.inputShape());
    assertEquals(2, g.channelsPerGroup());
    assertEquals(3, g.filtersPerGroup());
    assertEquals(2L * 2 * 6 * 3 * 6 * 2 * 3 * 2, g.flops());
    assertEquals(Shape.nchw(5, 6, 3, 6), g.withBatch(5).outputShape());
    Expect.illegalArgument(() -> g.withBatch(0), "batch size N", "= 0");
    Expect.illegalArgument(() -> ConvGeometry.of(Shape.of(4, 7, 6), 6, p), "conv input", "rank 4");
  }
}
