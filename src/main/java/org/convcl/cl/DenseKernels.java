package org.convcl.cl;

import org.convcl.tensor.Tensor;

/**
 * Launchers of opencl/dense.cl: the three dense products as one tiled GEMM, {@code out(m, j) =
 * sum_t A(m, t) B(t, j)} with {@code A(m, t) = a[m*aRow + t*aCol]}, {@code B(t, j) = b[t*bRow +
 * j*bCol]}.
 */
final class DenseKernels {
  private final ClOps ops;

  DenseKernels(ClOps ops) {
    this.ops = ops;
  }

  /** out[N][O] = input[N][F] weights[O][F]^T + bias[O]. */
  void forward(Tensor input, Tensor weights, Tensor bias, Tensor output) {
    int n = input.shape().dim(0);
    int f = input.shape().dim(1);
    int o = weights.shape().dim(0);
    gemm(input, f, 1, weights, 1, f, bias, output, n, o, f, "denseForward " + input.shape());
  }

  /** gradInput[N][F] = gradOutput[N][O] weights[O][F]. */
  void backwardInput(Tensor gradOutput, Tensor weights, Tensor gradInput) {
    int n = gradOutput.shape().dim(0);
    int o = gradOutput.shape().dim(1);
    int f = weights.shape().dim(1);
    gemm(gradOutput, o, 1, weights, f, 1, null, gradInput, n, f, o, "denseBackwardInput");
  }

  /** gradWeights[O][F] = gradOutput[N][O]^T input[N][F]. */
  void backwardWeights(Tensor input, Tensor gradOutput, Tensor gradWeights) {
    int n = input.shape().dim(0);
    int f = input.shape().dim(1);
    int o = gradOutput.shape().dim(1);
    gemm(gradOutput, 1, o, input, f, 1, null, gradWeights, o, f, n, "denseBackwardWeights");
  }

  private void gemm(
      Tensor a,
      int aRow,
      int aCol,
      Tensor b,
      int bRow,
      int bCol,
      Tensor bias,
      Tensor out,
      int rows,
      int cols,
      int inner,
      String what) {
    Launch l = ops.gemmLaunch();
    l.args().tensor(ops.cl(a)).i(aRow).i(aCol).tensor(ops.cl(b)).i(bRow).i(bCol);
    l.args().mem(bias == null ? ops.dummy() : ops.cl(bias).buffer()).bool(bias != null);
    l.args().tensor(ops.cl(out)).i(rows).i(cols).i(inner);
    long tile = ops.gemmTile();
    long[] global = {Launch.roundUp(cols, tile), Launch.roundUp(rows, tile)};
    l.run(global, new long[] {tile, tile}, () -> what + " rows " + rows + " cols " + cols);
  }
}
