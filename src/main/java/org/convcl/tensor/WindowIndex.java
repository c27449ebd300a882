package org.convcl.tensor;

/**
 * The sliding-window index rule of convolution and pooling, in one place: output position {@code o}
 * with filter tap {@code t} reads input position {@code i = o*stride - padLo + t*dilation} (for
 * rows: {@code ih = oh*strideH - padTop + r*dilationH}); positions outside {@code [0, size)} are
 * padding. A pooling window is the same rule with dilation 1, starting at tap 0. The CPU backend
 * ({@code CpuConv}/{@code Im2col}, {@code CpuPool}) and the {@code convcl explain} command both
 * call these functions, so the sums explain prints are built from the backend's own index logic.
 * Hot loops call them once per row or tap and step by the stride from there.
 */
public final class WindowIndex {
  private WindowIndex() {}

  /**
   * The first input position of output {@code o}'s window (its tap 0), possibly negative: in the
   * padding. Pooling windows cover {@code [start, start + kernel)}.
   */
  public static int start(int o, int stride, int padLo) {
    return o * stride - padLo;
  }

  /** The input position read by output {@code o} through tap {@code t}; may be out of range. */
  public static int input(int o, int stride, int padLo, int t, int dilation) {
    return start(o, stride, padLo) + t * dilation;
  }

  /** Whether {@code i} is a real input position (not padding). */
  public static boolean inside(int i, int size) {
    return i >= 0 && i < size;
  }

  /**
   * The outputs {@code o} in {@code [lo, hi)} (within {@code [0, outSize)}) whose tap {@code t}
   * reads a real input position, as {@code {lo, hi}}: exactly the o with {@code inside(input(o,
   * stride, padLo, t, dilation), size)}, found without testing each o. Since {@code input} grows by
   * {@code stride} per output, the range is contiguous; {@code lo == hi} when the tap reads only
   * padding.
   */
  public static int[] validOutputs(
      int outSize, int stride, int padLo, int t, int dilation, int size) {
    int first = input(0, stride, padLo, t, dilation);
    int lo = first >= 0 ? 0 : (-first + stride - 1) / stride;
    int hi = size - first <= 0 ? 0 : Math.min(outSize, (size - first - 1) / stride + 1);
    return new int[] {lo, Math.max(lo, hi)};
  }
}
