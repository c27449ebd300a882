package org.convcl.cpu;

/**
 * The inner loops of the CPU backend's direct (non-GEMM) ops over a contiguous run of one row: ReLU
 * and its derivative, the depthwise convolution's taps. Two implementations compute the same bits:
 * {@code SimdRowKernels} on jdk.incubator.vector (loaded by name, like {@code SimdMicroKernel},
 * only when the module is present) and {@link ScalarRowKernels}.
 */
interface RowKernels {
  /** {@code y[i] = x[i] > 0 ? x[i] : 0} for i in {@code [lo, hi)} (NaN gives 0). */
  void relu(float[] x, float[] y, int lo, int hi);

  /** {@code dx[i] = dy[i] * (x[i] > 0 ? 1 : 0)} for i in {@code [lo, hi)}. */
  void reluBackward(float[] x, float[] dy, float[] dx, int lo, int hi);

  /**
   * {@code y[yo + i*yStride] = fma(a, x[xo + i*xStride], y[yo + i*yStride])} for i in {@code [0,
   * len)}: one tap of a depthwise convolution along an output (or input-gradient) row. Vectorised
   * where both strides are 1; each element is one fused multiply-add either way, so the bits do not
   * depend on the implementation.
   */
  void axpy(float a, float[] x, int xo, int xStride, float[] y, int yo, int yStride, int len);

  /**
   * {@code sum_i x[xo + i*xStride] * y[yo + i]} for i in {@code [0, len)}, in float, in an order of
   * the implementation's choosing (lane-wise partial sums when {@code xStride} is 1): the tap of a
   * depthwise filter gradient along one row.
   */
  float dot(float[] x, int xo, int xStride, float[] y, int yo, int len);

  /** The implementation for this JVM: SIMD when the module is present, else scalar. */
  static RowKernels best() {
    return Best.KERNELS;
  }

  /** Holder idiom: detected once, on first use. */
  final class Best {
    private Best() {}

    static final RowKernels KERNELS = detect();

    private static RowKernels detect() {
      return MicroKernels.simdOrScalar(
          "org.convcl.cpu.SimdRowKernels", RowKernels.class, ScalarRowKernels::new, "row kernels");
    }
  }
}
