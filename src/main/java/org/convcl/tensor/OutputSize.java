package org.convcl.tensor;

/** The output-size rules of sliding windows, shared by convolution and pooling. */
public final class OutputSize {
  private OutputSize() {}

  /**
   * Number of window positions along one axis: {@code floor((n + padLo + padHi - d*(k-1) - 1) / s)
   * + 1}, or 0 or less when the (dilated) window does not fit in the padded input.
   */
  public static int floor(int n, int padLo, int padHi, int k, int s, int d) {
    int span = n + padLo + padHi - d * (k - 1) - 1;
    return span < 0 ? 0 : span / s + 1;
  }

  /**
   * Pooling's ceil mode, as PyTorch defines it: round the division up, then drop the last window if
   * it would start at or beyond the end of the input plus the left padding (it would see only right
   * padding).
   */
  public static int ceil(int n, int padLo, int padHi, int k, int s, int d) {
    int span = n + padLo + padHi - d * (k - 1) - 1;
    if (span < 0) {
      return 0;
    }
    int out = (span + s - 1) / s + 1;
    if ((out - 1) * s >= n + padLo) {
      out--;
    }
    return out;
  }
}
