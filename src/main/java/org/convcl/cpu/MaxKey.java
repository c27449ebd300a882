package org.convcl.cpu;

/**
 * {@link org.convcl.tensor.WindowMax}'s winner rule as an integer order, so a max-pool window is
 * reduced without a branch per cell: {@code of(v) > of(best)} exactly when {@code
 * WindowMax.beats(v, best)}. On random data the comparison branch of the scan mispredicts about
 * once per window, which made a 2x2 window cost ~12 ns; the integer form is a few ALU operations
 * and a conditional mask.
 *
 * <p>The key of a float of magnitude bits {@code m} (sign cleared) is {@code m} when positive,
 * {@code -m} when negative (so -0 and +0 share key 0 and tie, as {@code >} says), and {@link
 * Integer#MAX_VALUE} for every NaN (so the first NaN beats all numbers and no later NaN beats it).
 * Numbers map into {@code [-0x7f800000, 0x7f800000]}, below the NaN key.
 */
final class MaxKey {
  private MaxKey() {}

  private static final int EXPONENT_ALL_ONES = 0x7f800000;

  static int of(float x) {
    int b = Float.floatToRawIntBits(x);
    int m = b & Integer.MAX_VALUE;
    int nan = (EXPONENT_ALL_ONES - m) >> 31; // all ones exactly for m > the bits of +inf
    int negative = (b >> 31) & ~nan;
    return ((m ^ negative) - negative) | (nan & Integer.MAX_VALUE);
  }

  /** All ones when {@code k > best}, else 0 (keys differ by at most 2^32, so in a long). */
  static int greater(int k, int best) {
    return (int) (((long) best - k) >> 63);
  }

  /** All ones when {@code a == b}, else 0: {@code x | -x} has its sign set exactly when x != 0. */
  static int equal(int a, int b) {
    int x = a ^ b;
    return ~((x | -x) >> 31);
  }
}
