package org.convcl.cpu;

import java.util.Arrays;
import org.convcl.ops.Activation;
import org.convcl.tensor.ConvGeometry;

/**
 * Forward pass as one matrix product per (image, group): {@code output[k][p] = bias[k] + sum_j
 * w[k][j] * col[j][p]} with {@code M = K/groups} filters, {@code N = outH*outW} windows and the sum
 * over the {@code C/groups*R*S} taps. The output starts as the bias and the product adds onto it
 * (the bias "epilogue" costs one pass over the tile); a fused activation ({@link GemmEpilogue}) is
 * applied to each task's block of C right after its product. Subclasses say how B is read.
 */
abstract class GemmConvForward extends FusingForward {
  GemmConvForward(CpuGemm gemm) {
    super(gemm);
  }

  /** The B operand {@code v(tap, window)} of image n, group {@code group}. */
  abstract KPanel columns(float[] input, int n, int group, ConvGeometry g);

  @Override
  void run(
      float[] input,
      float[] weights,
      float[] bias,
      float[] output,
      ConvGeometry g,
      Activation epilogue) {
    int taps = taps(g);
    int windows = windows(g);
    int kg = g.filtersPerGroup();
    int nc = gemm.blocking.nc();
    int colBlocks = (windows + nc - 1) / nc;
    int groups = g.groups();
    // The weights are packed once per call, not once per image.
    Sgemm.PackedA[] packed = new Sgemm.PackedA[groups];
    for (int group = 0; group < groups; group++) {
      KPanel a = new DenseKPanel(weights, group * kg * taps, 1, taps);
      packed[group] = gemm.prepack(a, kg, taps, groups, group);
    }
    gemm.parallel.forEachWorker(
        g.n() * groups * colBlocks,
        (long) kg * taps * Math.min(nc, windows),
        (task, worker) -> {
          int image = task / (groups * colBlocks);
          int group = task / colBlocks % groups;
          int p0 = task % colBlocks * nc;
          int p1 = Math.min(windows, p0 + nc);
          int k0 = group * kg;
          int cOff = (image * g.k() + k0) * windows + p0;
          for (int i = 0; i < kg; i++) {
            float b = bias == null ? 0f : bias[k0 + i];
            Arrays.fill(output, cOff + i * windows, cOff + i * windows + p1 - p0, b);
          }
          KPanel b = columns(input, image, group, g);
          gemm.block(worker, packed[group], b, 0, kg, p0, p1, taps, output, cOff, windows);
          GemmEpilogue.apply(epilogue, output, cOff, kg, p1 - p0, windows);
        });
  }

  /** The offset of image n's first channel of group {@code group} in an NCHW input. */
  static int groupPlanes(int n, int group, ConvGeometry g) {
    return (n * g.c() + group * g.channelsPerGroup()) * g.h() * g.w();
  }
}
