package org.convcl.tensor;

/**
 * A convolution applied to a concrete input: input {@code [N][C][H][W]}, weights {@code
 * [K][C/groups][R][S]}, bias {@code [K]}, output {@code [N][K][outH][outW]}. The constructor checks
 * every rule once; code that receives a geometry trusts it.
 *
 * <p>Output size per axis: {@code floor((H + padTop + padBottom - dilationH*(R-1) - 1) / strideH) +
 * 1}.
 */
public record ConvGeometry(
    int n, int c, int h, int w, int k, ConvParams params, int outH, int outW) {

  public ConvGeometry {
    Require.positive("batch size N", n);
    Require.positive("input channels C", c);
    Require.positive("input height H", h);
    Require.positive("input width W", w);
    Require.positive("output channels K", k);
    int g = params.groups();
    Require.that(c % g == 0, "input channels C", c, "must be divisible by groups = " + g);
    Require.that(k % g == 0, "output channels K", k, "must be divisible by groups = " + g);
    Padding p = params.padding();
    requireFits(
        "height",
        "rows",
        OutputSize.padded("input height H", h, p.top(), p.bottom()),
        params.kernelH(),
        params.dilationH());
    requireFits(
        "width",
        "columns",
        OutputSize.padded("input width W", w, p.left(), p.right()),
        params.kernelW(),
        params.dilationW());
    int expectH = outHeight(h, params);
    int expectW = outWidth(w, params);
    Require.that(
        outH == expectH, "output height", outH, "must be " + expectH + " for this geometry");
    Require.that(
        outW == expectW, "output width", outW, "must be " + expectW + " for this geometry");
  }

  /** The dilated kernel (computed in long, so no dilation can wrap it) fits the padded input. */
  private static void requireFits(String axis, String unit, long padded, int kernel, int dilation) {
    long span = OutputSize.span(kernel, dilation);
    Require.that(
        span <= padded,
        "kernel " + axis,
        kernel,
        "with dilation "
            + dilation
            + " spans "
            + span
            + " "
            + unit
            + ", more than the padded input "
            + axis
            + " "
            + padded);
  }

  /**
   * The geometry of {@code params} applied to an NCHW {@code input} shape producing {@code k}
   * channels.
   */
  public static ConvGeometry of(Shape input, int k, ConvParams params) {
    input.requireRank("conv input", 4);
    return of(input.dim(0), input.dim(1), input.dim(2), input.dim(3), k, params);
  }

  public static ConvGeometry of(int n, int c, int h, int w, int k, ConvParams params) {
    return new ConvGeometry(n, c, h, w, k, params, outHeight(h, params), outWidth(w, params));
  }

  /** outH; the padded height is checked first so its message, not the output's, names the cause. */
  private static int outHeight(int h, ConvParams params) {
    Padding p = params.padding();
    OutputSize.padded("input height H", h, p.top(), p.bottom());
    return OutputSize.floor(
        h, p.top(), p.bottom(), params.kernelH(), params.strideH(), params.dilationH());
  }

  private static int outWidth(int w, ConvParams params) {
    Padding p = params.padding();
    OutputSize.padded("input width W", w, p.left(), p.right());
    return OutputSize.floor(
        w, p.left(), p.right(), params.kernelW(), params.strideW(), params.dilationW());
  }

  /** The same layer applied to a batch of a different size. */
  public ConvGeometry withBatch(int batch) {
    return new ConvGeometry(batch, c, h, w, k, params, outH, outW);
  }

  public int groups() {
    return params.groups();
  }

  /** Input channels seen by each filter: {@code C / groups}. */
  public int channelsPerGroup() {
    return c / params.groups();
  }

  /** Filters in each group: {@code K / groups}. */
  public int filtersPerGroup() {
    return k / params.groups();
  }

  public Shape inputShape() {
    return Shape.nchw(n, c, h, w);
  }

  public Shape weightShape() {
    return Shape.nchw(k, channelsPerGroup(), params.kernelH(), params.kernelW());
  }

  public Shape biasShape() {
    return Shape.of(k);
  }

  public Shape outputShape() {
    return Shape.nchw(n, k, outH, outW);
  }

  /** Multiply-adds of one forward pass, times two: {@code 2*N*K*outH*outW*(C/groups)*R*S}. */
  public long flops() {
    return 2L * n * k * outH * outW * channelsPerGroup() * params.kernelH() * params.kernelW();
  }
}
