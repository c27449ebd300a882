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

  /** The implementation for this JVM: SIMD when the module is present, else scalar. */
  static RowKernels best() {
    return Best.KERNELS;
  }

  /** Holder idiom: detected once, on first use. */
  final class Best {
    private Best() {}

    static final RowKernels KERNELS = detect();

    private static RowKernels detect() {
      if (ModuleLayer.boot().findModule(MicroKernels.MODULE).isEmpty()) {
        return new ScalarRowKernels(); // MicroKernels logs the hint once
      }
      try {
        return (RowKernels)
            Class.forName("org.convcl.cpu.SimdRowKernels").getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        org.slf4j.LoggerFactory.getLogger(RowKernels.class)
            .warn(
                "CPU backend: the SIMD row kernels failed to load ({}); scalar loops",
                e.toString());
        return new ScalarRowKernels();
      }
    }
  }
}
