package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * Any convolution's forward pass, B packed straight from the image as im2col tiles ({@link
 * Im2colKPanel}): no unrolled matrix is stored, whatever the layer's size.
 */
final class Im2colGemmForward extends GemmConvForward {
  Im2colGemmForward(CpuGemm gemm) {
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
  KPanel columns(float[] input, int n, int group, ConvGeometry g) {
    return new Im2colKPanel(g, gemm.taps(g), input, groupPlanes(n, group, g));
  }
}
