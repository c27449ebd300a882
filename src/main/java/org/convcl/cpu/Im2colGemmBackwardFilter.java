package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/** Any convolution's filter gradient, B gathered from the images ({@link WindowRowsKPanel}). */
final class Im2colGemmBackwardFilter extends GemmConvBackwardFilter {
  Im2colGemmBackwardFilter(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public String name() {
    return "im2col-gemm";
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return true;
  }

  @Override
  KPanel windowRows(float[] input, int firstImage, int group, ConvGeometry g) {
    return new WindowRowsKPanel(g, gemm.taps(g), input, firstImage, group);
  }
}
