package org.convcl.tensor;

/**
 * A pooling window applied to a concrete input {@code [N][C][H][W]} giving {@code
 * [N][C][outH][outW]}. Output size per axis follows {@link OutputSize#floor} or, in ceil mode,
 * {@link OutputSize#ceil}.
 */
public record PoolGeometry(int n, int c, int h, int w, PoolParams params, int outH, int outW) {

  public PoolGeometry {
    Require.positive("batch size N", n);
    Require.positive("channels C", c);
    Require.positive("input height H", h);
    Require.positive("input width W", w);
    Padding p = params.padding();
    long paddedH = OutputSize.padded("input height H", h, p.top(), p.bottom());
    long paddedW = OutputSize.padded("input width W", w, p.left(), p.right());
    Require.that(
        params.kernelH() <= paddedH,
        "pool kernel height",
        params.kernelH(),
        "is larger than the padded input height " + paddedH);
    Require.that(
        params.kernelW() <= paddedW,
        "pool kernel width",
        params.kernelW(),
        "is larger than the padded input width " + paddedW);
    int expectH =
        size(h, p.top(), p.bottom(), params.kernelH(), params.strideH(), params.ceilMode());
    int expectW =
        size(w, p.left(), p.right(), params.kernelW(), params.strideW(), params.ceilMode());
    Require.that(
        outH == expectH, "output height", outH, "must be " + expectH + " for this geometry");
    Require.that(
        outW == expectW, "output width", outW, "must be " + expectW + " for this geometry");
  }

  private static int size(int n, int lo, int hi, int k, int s, boolean ceil) {
    OutputSize.padded("input length", n, lo, hi);
    return ceil ? OutputSize.ceil(n, lo, hi, k, s, 1) : OutputSize.floor(n, lo, hi, k, s, 1);
  }

  public static PoolGeometry of(Shape input, PoolParams params) {
    input.requireRank("pool input", 4);
    return of(input.dim(0), input.dim(1), input.dim(2), input.dim(3), params);
  }

  public static PoolGeometry of(int n, int c, int h, int w, PoolParams params) {
    Padding p = params.padding();
    int oh = size(h, p.top(), p.bottom(), params.kernelH(), params.strideH(), params.ceilMode());
    int ow = size(w, p.left(), p.right(), params.kernelW(), params.strideW(), params.ceilMode());
    return new PoolGeometry(n, c, h, w, params, oh, ow);
  }

  public PoolGeometry withBatch(int batch) {
    return new PoolGeometry(batch, c, h, w, params, outH, outW);
  }

  public Shape inputShape() {
    return Shape.nchw(n, c, h, w);
  }

  public Shape outputShape() {
    return Shape.nchw(n, c, outH, outW);
  }
}
