package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * A 1x1 convolution with stride 1 and no padding: B is the input's channel planes read in place,
 * {@code v((n, p), c) = input[n][c][p]}.
 */
final class PointwiseGemmBackwardFilter extends GemmConvBackwardFilter {
  PointwiseGemmBackwardFilter(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public String name() {
    return "pointwise-gemm";
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return pointwise(g);
  }

  @Override
  KPanel windowRows(float[] input, int firstImage, int group, ConvGeometry g) {
    int plane = g.h() * g.w();
    int cg = g.channelsPerGroup();
    return new BatchPlanesKPanel(input, group * cg * plane, g.c() * plane, plane, firstImage);
  }
}
