package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/** The input gradient of a convolution that is a dense layer ({@link DenseForward#dense}). */
final class DenseBackwardInput extends CpuConvLowering {
  DenseBackwardInput(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public String name() {
    return "dense-gemm";
  }

  @Override
  public ConvPass pass() {
    return ConvPass.BACKWARD_INPUT;
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return DenseForward.dense(g);
  }

  @Override
  void run(float[] gradOutput, float[] weights, float[] unused, float[] gradInput, ConvGeometry g) {
    CpuDense.backwardInput(gemm, gradOutput, weights, gradInput, g.n(), g.c(), g.k());
  }
}
