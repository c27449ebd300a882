package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * A 1x1 convolution with stride 1 and no padding: the image's channel planes {@code
 * [C/groups][H*W]} are already the B matrix, read in place.
 */
final class PointwiseGemmForward extends GemmConvForward {
  PointwiseGemmForward(CpuGemm gemm) {
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
  KPanel columns(float[] input, int n, int group, ConvGeometry g) {
    int plane = g.h() * g.w();
    return new DenseKPanel(input, groupPlanes(n, group, g), plane, 1);
  }
}
