package org.convcl.cpu;

import java.util.Arrays;
import org.convcl.tensor.ConvGeometry;

/**
 * Filter gradient as a matrix product per group: {@code gradWeights[k][j] = sum_(n, p)
 * gradOutput[n][k][p] * col_n[j][p]}, with the windows of several images laid end to end along the
 * summed index. The batch is cut into {@link #BATCH_CHUNKS} fixed chunks (a function of N only,
 * never of the thread count); each chunk's product is one task, and the chunk partials are added in
 * chunk order, so the result is the same bits for any number of threads. Subclasses say how the B
 * operand {@code v((n, p), j)} is read.
 */
abstract class GemmConvBackwardFilter extends CpuConvLowering {
  /** Chunks of the batch reduction: enough tasks for a few cores at batch sizes of 4 and up. */
  static final int BATCH_CHUNKS = 4;

  GemmConvBackwardFilter(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public ConvPass pass() {
    return ConvPass.BACKWARD_FILTER;
  }

  /** B: {@code v(t, j)} for window {@code t % P} of image {@code firstImage + t / P}. */
  abstract KPanel windowRows(float[] input, int firstImage, int group, ConvGeometry g);

  @Override
  void run(float[] input, float[] gradOutput, float[] unused, float[] gradWeights, ConvGeometry g) {
    int taps = taps(g);
    int windows = windows(g);
    int kg = g.filtersPerGroup();
    int groups = g.groups();
    int chunks = Math.min(BATCH_CHUNKS, g.n());
    int size = g.k() * taps;
    float[] partials = gemm.shared((chunks - 1) * size);
    gemm.parallel.forEachWorker(
        chunks * groups,
        (long) kg * taps * windows * (g.n() / chunks),
        (task, worker) -> {
          int chunk = task / groups;
          int group = task % groups;
          int n0 = chunk * g.n() / chunks;
          int n1 = (chunk + 1) * g.n() / chunks;
          float[] c = chunk == 0 ? gradWeights : partials;
          int cOff = (chunk == 0 ? 0 : (chunk - 1) * size) + group * kg * taps;
          Arrays.fill(c, cOff, cOff + kg * taps, 0f);
          KPanel a =
              new BatchPlanesKPanel(gradOutput, group * kg * windows, g.k() * windows, windows, n0);
          KPanel b = windowRows(input, n0, group, g);
          gemm.block(worker, a, b, 0, kg, 0, taps, (n1 - n0) * windows, c, cOff, taps);
        });
    for (int chunk = 1; chunk < chunks; chunk++) {
      int off = (chunk - 1) * size;
      for (int i = 0; i < size; i++) {
        gradWeights[i] += partials[off + i];
      }
    }
  }
}
