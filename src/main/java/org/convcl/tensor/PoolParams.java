package org.convcl.tensor;

/**
 * The hyper-parameters of a 2-D pooling window: kernel, stride, padding, ceil mode, and (average
 * pooling only) whether padded cells count in the divisor.
 */
public record PoolParams(
    int kernelH,
    int kernelW,
    int strideH,
    int strideW,
    Padding padding,
    boolean ceilMode,
    boolean countIncludePad) {

  public PoolParams {
    Require.positive("pool kernel height", kernelH);
    Require.positive("pool kernel width", kernelW);
    Require.positive("pool stride height", strideH);
    Require.positive("pool stride width", strideW);
    Require.that(padding != null, "padding", null, "must be given (use Padding.NONE)");
    // As in PyTorch: a wider padding would create windows that see only padding.
    Require.that(
        Math.max(padding.top(), padding.bottom()) <= kernelH / 2,
        "pool padding (height)",
        padding,
        "must be at most half the kernel height " + kernelH);
    Require.that(
        Math.max(padding.left(), padding.right()) <= kernelW / 2,
        "pool padding (width)",
        padding,
        "must be at most half the kernel width " + kernelW);
  }

  /** A {@code k x k} window moved by {@code s}, no padding, floor mode, padding counted. */
  public static PoolParams of(int k, int s) {
    return new PoolParams(k, k, s, s, Padding.NONE, false, true);
  }

  public PoolParams withPadding(Padding p) {
    return new PoolParams(kernelH, kernelW, strideH, strideW, p, ceilMode, countIncludePad);
  }

  public PoolParams withCeilMode(boolean ceil) {
    return new PoolParams(kernelH, kernelW, strideH, strideW, padding, ceil, countIncludePad);
  }

  public PoolParams withCountIncludePad(boolean include) {
    return new PoolParams(kernelH, kernelW, strideH, strideW, padding, ceilMode, include);
  }
}
