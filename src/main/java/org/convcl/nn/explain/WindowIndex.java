package org.convcl.nn.explain;

/**
 * The sliding-window index rule of convolution and pooling, in one place: output position {@code o}
 * with filter tap {@code t} reads input position {@code i = o*stride - padLo + t*dilation} (for
 * rows: {@code ih = oh*strideH - padTop + r*dilationH}); positions outside {@code [0, size)} are
 * padding. This is the rule the CPU oracle ({@code CpuConv}, {@code CpuPool}) implements; the
 * explain output is generated from it, so the sums it prints are the ones the oracle computes.
 */
public final class WindowIndex {
  private WindowIndex() {}

  /** The input position read by output {@code o} through tap {@code t}; may be out of range. */
  public static int input(int o, int stride, int padLo, int t, int dilation) {
    return o * stride - padLo + t * dilation;
  }

  /** Whether {@code i} is a real input position (not padding). */
  public static boolean inside(int i, int size) {
    return i >= 0 && i < size;
  }
}
