package org.convcl.cpu;

import org.convcl.ops.Activation;
import org.convcl.tensor.ConvGeometry;

/**
 * A 1x1 convolution of 1x1 images (one group) is a dense layer: input {@code [N][C]}, weights
 * {@code [K][C]}, output {@code [N][K]}, one product over the whole batch ({@link CpuDense}). The
 * per-image products of {@link PointwiseGemmForward} have one column each here and ran at about 4
 * GFLOP/s on LeNet's 800 -> 500 at batch 32.
 */
final class DenseForward extends FusingForward {
  DenseForward(CpuGemm gemm) {
    super(gemm);
  }

  /**
   * Where a convolution is a dense layer: 1x1 kernel and image, stride 1, no padding, one group.
   */
  static boolean dense(ConvGeometry g) {
    return pointwise(g) && g.h() == 1 && g.w() == 1 && g.groups() == 1;
  }

  @Override
  public String name() {
    return "dense-gemm";
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return dense(g);
  }

  @Override
  void run(
      float[] input,
      float[] weights,
      float[] bias,
      float[] output,
      ConvGeometry g,
      Activation epilogue) {
    CpuDense.forward(gemm, input, weights, bias, output, g.n(), g.c(), g.k(), epilogue);
  }
}
