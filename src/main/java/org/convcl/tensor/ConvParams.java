package org.convcl.tensor;

/**
 * The hyper-parameters of a 2-D convolution, independent of the input size: kernel {@code R x S},
 * stride, padding, dilation, groups and whether a bias is added. Combine with an input shape in
 * {@link ConvGeometry}.
 */
public record ConvParams(
    int kernelH,
    int kernelW,
    int strideH,
    int strideW,
    Padding padding,
    int dilationH,
    int dilationW,
    int groups,
    boolean bias) {

  public ConvParams {
    Require.positive("kernel height", kernelH);
    Require.positive("kernel width", kernelW);
    Require.positive("stride height", strideH);
    Require.positive("stride width", strideW);
    Require.that(padding != null, "padding", null, "must be given (use Padding.NONE)");
    Require.positive("dilation height", dilationH);
    Require.positive("dilation width", dilationW);
    Require.positive("groups", groups);
  }

  /** A square {@code k x k} kernel, stride 1, no padding, no dilation, one group, with bias. */
  public static ConvParams of(int k) {
    return new ConvParams(k, k, 1, 1, Padding.NONE, 1, 1, 1, true);
  }

  public ConvParams withKernel(int kh, int kw) {
    return new ConvParams(kh, kw, strideH, strideW, padding, dilationH, dilationW, groups, bias);
  }

  public ConvParams withStride(int s) {
    return withStride(s, s);
  }

  public ConvParams withStride(int sh, int sw) {
    return new ConvParams(kernelH, kernelW, sh, sw, padding, dilationH, dilationW, groups, bias);
  }

  public ConvParams withPadding(int p) {
    return withPadding(Padding.of(p));
  }

  public ConvParams withPadding(Padding p) {
    return new ConvParams(
        kernelH, kernelW, strideH, strideW, p, dilationH, dilationW, groups, bias);
  }

  public ConvParams withDilation(int d) {
    return withDilation(d, d);
  }

  public ConvParams withDilation(int dh, int dw) {
    return new ConvParams(kernelH, kernelW, strideH, strideW, padding, dh, dw, groups, bias);
  }

  public ConvParams withGroups(int g) {
    return new ConvParams(
        kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, g, bias);
  }

  public ConvParams withBias(boolean b) {
    return new ConvParams(
        kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, groups, b);
  }
}
