package org.convcl.cl;

/**
 * How a reduction of {@code total} terms is cut into chunks of {@code chunkLen}, host side. Totals
 * go up to {@link org.convcl.tensor.Shape#MAX_SIZE}, just below 2^31, so the usual {@code (total +
 * len - 1) / len} would wrap an int; the kernels bound chunk j as {@code q0 = j*chunkLen}, {@code
 * q1 = q0 + min(chunkLen, total - q0)} for the same reason.
 */
final class Chunks {
  private Chunks() {}

  /** {@code ceil(total / chunkLen)}, in long so a total near 2^31 cannot wrap. */
  static int count(int total, int chunkLen) {
    return (int) (((long) total + chunkLen - 1) / chunkLen);
  }
}
