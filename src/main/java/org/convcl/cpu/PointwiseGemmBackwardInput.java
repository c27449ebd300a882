package org.convcl.cpu;

import java.util.Arrays;
import org.convcl.tensor.ConvGeometry;

/**
 * A 1x1 convolution with stride 1 and no padding: the input gradient is the plain product {@code
 * gradInput[c][p] = sum_k w[k][c] * gradOutput[k][p]} per (image, group), written in place (no
 * fold: every window reads exactly one cell).
 */
final class PointwiseGemmBackwardInput extends CpuConvLowering {
  PointwiseGemmBackwardInput(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public String name() {
    return "pointwise-gemm";
  }

  @Override
  public ConvPass pass() {
    return ConvPass.BACKWARD_INPUT;
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return pointwise(g);
  }

  @Override
  void run(float[] gradOutput, float[] weights, float[] unused, float[] gradInput, ConvGeometry g) {
    int cg = g.channelsPerGroup();
    int kg = g.filtersPerGroup();
    int plane = g.h() * g.w();
    int groups = g.groups();
    Sgemm.PackedA[] packed = new Sgemm.PackedA[groups];
    for (int group = 0; group < groups; group++) {
      packed[group] =
          gemm.prepack(new DenseKPanel(weights, group * kg * cg, cg, 1), cg, kg, groups, group);
    }
    gemm.parallel.forEachWorker(
        g.n() * groups,
        (long) cg * plane * kg,
        (task, worker) -> {
          int image = task / groups;
          int group = task % groups;
          int planes = GemmConvForward.groupPlanes(image, group, g);
          Arrays.fill(gradInput, planes, planes + cg * plane, 0f);
          KPanel b = new DenseKPanel(gradOutput, (image * g.k() + group * kg) * plane, plane, 1);
          gemm.block(worker, packed[group], b, 0, cg, 0, plane, kg, gradInput, planes, plane);
        });
  }
}
