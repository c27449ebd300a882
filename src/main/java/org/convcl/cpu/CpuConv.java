package org.convcl.cpu;

import org.convcl.ops.HeapMemory;
import org.convcl.tensor.ConvGeometry;

/**
 * Convolution on the heap, the reference every OpenCL convolution kernel is tested against.
 * Layouts: input {@code [N][C][H][W]}, weights {@code [K][C/groups][R][S]}, output {@code
 * [N][K][outH][outW]}. Filter k belongs to group {@code k / (K/groups)} and reads input channels
 * {@code group*(C/groups) ..}. Which input cell a window's tap reads is {@link
 * org.convcl.tensor.WindowIndex}'s rule (used through {@link Im2col}); see docs/math.md for the
 * derivations of the two gradients.
 */
final class CpuConv {
  private CpuConv() {}

  /**
   * Forward, as a matrix product per (image, group): {@code output[k][p] = bias[k] + sum_j w[k][j]
   * * col[j][p]} with {@code col} from {@link Im2col#unroll} ({@link Gemm}); one task per (n,
   * group), sums in double.
   */
  static void forward(
      Parallel par, float[] input, float[] weights, float[] bias, float[] output, ConvGeometry g) {
    int rows = Im2col.rows(g);
    int cols = Im2col.cols(g);
    int kg = g.filtersPerGroup();
    par.forEach(
        g.n() * g.groups(),
        (long) rows * cols * kg,
        task -> {
          int n = task / g.groups();
          int group = task % g.groups();
          float[] col = scratch("convForward", rows, cols, g);
          Im2col.unroll(input, n, group, col, g);
          // acc [kg][cols]: this group's output planes, starting from the bias.
          double[] acc = new double[kg * cols];
          for (int kk = 0; kk < kg; kk++) {
            double b = bias == null ? 0.0 : bias[group * kg + kk];
            java.util.Arrays.fill(acc, kk * cols, (kk + 1) * cols, b);
          }
          Gemm.multiplyAdd(weights, group * kg * rows, rows, 1, kg, col, 0, cols, rows, acc, 0);
          int out = (n * g.k() + group * kg) * cols;
          for (int i = 0; i < acc.length; i++) {
            output[out + i] = (float) acc[i];
          }
        });
  }

  /**
   * Input gradient: {@code gradInput[n][c][ih][iw] = sum_{k,r,s} gradOutput[n][k][oh][ow] *
   * w[k][c'][r][s]} over the windows (oh, ow) whose tap (r, s) lands on (ih, iw). That is the full
   * convolution of the zero-spread gradOutput with the rotated filter (docs/math.md). Computed per
   * (n, group) as the transposed product {@code dcol[j][p] = sum_k w[k][j] * gradOutput[k][p]},
   * then folded back onto the input ({@link Im2col#fold}), which adds exactly the same terms
   * without visiting the spread zeros. Cells no window reads get exactly 0.
   */
  static void backwardInput(
      Parallel par, float[] gradOutput, float[] weights, float[] gradInput, ConvGeometry g) {
    int rows = Im2col.rows(g);
    int cols = Im2col.cols(g);
    int kg = g.filtersPerGroup();
    int cg = g.channelsPerGroup();
    int plane = g.h() * g.w();
    par.forEach(
        g.n() * g.groups(),
        (long) rows * cols * kg,
        task -> {
          int n = task / g.groups();
          int group = task % g.groups();
          double[] dcol =
              HeapMemory.doubles(
                  (long) rows * cols, () -> "the im2col scratch of convBackwardInput for " + g);
          // dcol [rows][cols] = (this group's weights [kg][rows]) transposed x gradOutput
          // [kg][cols].
          int dy = (n * g.k() + group * kg) * cols;
          Gemm.multiplyAdd(
              weights, group * kg * rows, 1, rows, rows, gradOutput, dy, cols, kg, dcol, 0);
          double[] acc = new double[cg * plane];
          Im2col.fold(dcol, acc, g);
          int base = (n * g.c() + group * cg) * plane;
          for (int i = 0; i < acc.length; i++) {
            gradInput[base + i] = (float) acc[i];
          }
        });
  }

  /**
   * The filter gradient's reduction over the batch runs in this many fixed chunks, summed in order.
   */
  private static final int BATCH_CHUNKS = 8;

  /**
   * Filter gradient: {@code gradWeights[k][c'][r][s] = sum_{n,oh,ow} gradOutput[n][k][oh][ow] *
   * input[n][c][ih][iw]}, the correlation of the input with gradOutput, i.e. {@code sum_n sum_p
   * gradOutput[n][k][p] * col_n[j][p]}. The batch is cut into a fixed number of chunks (independent
   * of the thread count), each chunk sums its images in order into a double partial, and the
   * partials are added in chunk order: deterministic on any machine.
   */
  static void backwardFilter(
      Parallel par, float[] input, float[] gradOutput, float[] gradWeights, ConvGeometry g) {
    int rows = Im2col.rows(g);
    int cols = Im2col.cols(g);
    int kg = g.filtersPerGroup();
    int chunks = Math.min(BATCH_CHUNKS, g.n());
    double[][] partial = new double[chunks][g.k() * rows];
    par.forEach(
        chunks,
        (long) g.n() / chunks * rows * cols * g.k(),
        chunk -> {
          float[] col = scratch("convBackwardFilter", rows, cols, g);
          double[] part = partial[chunk];
          for (int n = chunk * g.n() / chunks; n < (chunk + 1) * g.n() / chunks; n++) {
            for (int group = 0; group < g.groups(); group++) {
              Im2col.unroll(input, n, group, col, g);
              // Windows as rows ([P][rows]): each gradOutput value then scales one contiguous row.
              // Not through Gemm: in training gradOutput is mostly zeros (behind ReLU and max
              // pooling) and axpy skips each zero; Gemm was 20% faster on the dense benchmark
              // but made training ~10% slower.
              float[] colT = CpuDense.transpose(col, rows, cols);
              for (int k = group * kg; k < (group + 1) * kg; k++) {
                int dy = (n * g.k() + k) * cols;
                double[] acc = new double[rows];
                for (int p = 0; p < cols; p++) {
                  CpuDense.axpy(gradOutput[dy + p], colT, p * rows, acc);
                }
                for (int j = 0; j < rows; j++) {
                  part[k * rows + j] += acc[j];
                }
              }
            }
          }
        });
    for (int i = 0; i < gradWeights.length; i++) {
      double sum = 0;
      for (int chunk = 0; chunk < chunks; chunk++) {
        sum += partial[chunk][i];
      }
      gradWeights[i] = (float) sum;
    }
  }

  /** {@code gradBias[k] = sum over n and the trailing (spatial) dims of gradOutput[n][k][...]}. */
  static void backwardBias(float[] gradOutput, int n, int k, int spatial, float[] gradBias) {
    for (int kk = 0; kk < k; kk++) {
      double acc = 0;
      for (int nn = 0; nn < n; nn++) {
        int base = (nn * k + kk) * spatial;
        for (int i = 0; i < spatial; i++) {
          acc += gradOutput[base + i];
        }
      }
      gradBias[kk] = (float) acc;
    }
  }

  /**
   * One task's im2col matrix {@code [rows][cols]}; its size is the input's times R*S, so it can
   * exhaust the heap (or overflow an int) where the tensors themselves fit.
   */
  private static float[] scratch(String op, int rows, int cols, ConvGeometry g) {
    return HeapMemory.floats((long) rows * cols, () -> "the im2col scratch of " + op + " for " + g);
  }
}
