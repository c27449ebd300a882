package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * The filter gradient of a convolution that is a dense layer ({@link DenseForward#dense}): one
 * product over the whole batch, summed in batch order, so the same bits for any thread count.
 */
final class DenseBackwardFilter extends CpuConvLowering {
  DenseBackwardFilter(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public String name() {
    return "dense-gemm";
  }

  @Override
  public ConvPass pass() {
    return ConvPass.BACKWARD_FILTER;
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return DenseForward.dense(g);
  }

  @Override
  void run(float[] input, float[] gradOutput, float[] unused, float[] gradWeights, ConvGeometry g) {
    CpuDense.backwardWeights(gemm, input, gradOutput, gradWeights, g.n(), g.c(), g.k());
  }
}
