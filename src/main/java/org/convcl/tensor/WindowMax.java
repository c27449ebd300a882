package org.convcl.tensor;

/**
 * The max-pooling winner rule, in one place for the op ({@code CpuPool}; {@code maxpool.cl} mirrors
 * it) and {@code convcl explain maxpool}: scanning a window in row-major order, a value replaces
 * the current maximum when it is strictly greater (so ties keep the first), or when it is NaN and
 * the current maximum is not (so a NaN propagates instead of being hidden by the comparison).
 */
public final class WindowMax {
  private WindowMax() {}

  /** Whether {@code v} replaces {@code best} as the window's maximum so far. */
  public static boolean beats(float v, float best) {
    return v > best || (Float.isNaN(v) && !Float.isNaN(best));
  }
}
