package org.convcl.cpu;

import org.convcl.ops.Activation;

/**
 * Fully connected layers on the GEMM core: input {@code [N][F]}, weights {@code [O][F]} (one row
 * per output unit), bias {@code [O]}, output {@code [N][O]}. Each product reads its operands in
 * place through strides ({@link DenseKPanel}); no transposed copy is made.
 */
final class CpuDense {
  private CpuDense() {}

  /**
   * {@code out[n][o] = act(bias[o] + sum_f x[n][f] * w[o][f])}: the output starts as the bias (each
   * task writes it into its own block); the activation {@code act} (null: none, else as {@link
   * GemmEpilogue}) is applied to each task's block as soon as its product is done.
   */
  static void forward(
      CpuGemm gemm,
      float[] x,
      float[] w,
      float[] bias,
      float[] out,
      int n,
      int f,
      int o,
      Activation epilogue) {
    gemm.multiply(
        n,
        o,
        f,
        new DenseKPanel(x, 0, 1, f),
        new DenseKPanel(w, 0, 1, f),
        bias,
        out,
        0,
        o,
        epilogue);
  }

  /** {@code dx[n][f] = sum_o dy[n][o] * w[o][f]}. */
  static void backwardInput(CpuGemm gemm, float[] dy, float[] w, float[] dx, int n, int f, int o) {
    gemm.multiply(
        n, f, o, new DenseKPanel(dy, 0, 1, o), new DenseKPanel(w, 0, f, 1), null, dx, 0, f, null);
  }

  /** {@code dw[o][f] = sum_n dy[n][o] * x[n][f]}, the sum over the batch in order. */
  static void backwardWeights(
      CpuGemm gemm, float[] x, float[] dy, float[] dw, int n, int f, int o) {
    gemm.multiply(
        o, f, n, new DenseKPanel(dy, 0, o, 1), new DenseKPanel(x, 0, f, 1), null, dw, 0, f, null);
  }
}
