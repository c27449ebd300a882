package org.convcl.tensor;

/** The output-size rules of sliding windows, shared by convolution and pooling. */
public final class OutputSize {
  private OutputSize() {}

  /**
   * Number of window positions along one axis: {@code floor((n + padLo + padHi - d*(k-1) - 1) / s)
   * + 1}, or 0 or less when the (dilated) window does not fit in the padded input.
   */
  public static int floor(int n, int padLo, int padHi, int k, int s, int d) {
    long span = room(n, padLo, padHi, k, d);
    return span < 0 ? 0 : fit(span / s + 1);
  }

  /**
   * Pooling's ceil mode, as PyTorch defines it: round the division up, then drop the last window if
   * it would start at or beyond the end of the input plus the left padding (it would see only right
   * padding).
   */
  public static int ceil(int n, int padLo, int padHi, int k, int s, int d) {
    long span = room(n, padLo, padHi, k, d);
    if (span < 0) {
      return 0;
    }
    long out = (span + s - 1) / s + 1;
    if ((out - 1) * s >= (long) n + padLo) {
      out--;
    }
    return fit(out);
  }

  /**
   * The padded length {@code n + padLo + padHi} of one axis, computed in long; {@code axis} names
   * it in the error (e.g. "input height H"). Kernels index padded coordinates in int, so it must
   * fit one.
   */
  public static long padded(String axis, int n, int padLo, int padHi) {
    long len = (long) n + padLo + padHi;
    Require.that(
        len <= Integer.MAX_VALUE,
        axis + " plus padding " + padLo + " + " + padHi,
        len,
        "must be at most " + Integer.MAX_VALUE);
    return len;
  }

  /** The extent {@code d*(k-1)+1} of a dilated window, in long so huge dilations cannot wrap. */
  public static long span(int k, int d) {
    return (long) d * (k - 1) + 1;
  }

  /** Padded length minus the window span: in long, because each part may be near 2^31. */
  private static long room(int n, int padLo, int padHi, int k, int d) {
    return (long) n + padLo + padHi - span(k, d);
  }

  private static int fit(long out) {
    Require.that(
        out <= Integer.MAX_VALUE, "output size", out, "must be at most " + Integer.MAX_VALUE);
    return (int) out;
  }
}
