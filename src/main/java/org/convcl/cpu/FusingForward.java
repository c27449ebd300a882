package org.convcl.cpu;

import org.convcl.ops.Activation;
import org.convcl.tensor.ConvGeometry;

/**
 * A forward lowering that applies the layer's activation to each output as it is finished ({@link
 * GemmEpilogue}); without one it runs the same code with none.
 */
abstract class FusingForward extends CpuConvLowering {
  FusingForward(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public final ConvPass pass() {
    return ConvPass.FORWARD;
  }

  /** True unless a subclass measured it better to let the backend apply the activation. */
  @Override
  boolean fusesEpilogue() {
    return true;
  }

  @Override
  final void run(float[] input, float[] weights, float[] bias, float[] output, ConvGeometry g) {
    run(input, weights, bias, output, g, null);
  }

  @Override
  abstract void run(
      float[] input,
      float[] weights,
      float[] bias,
      float[] output,
      ConvGeometry g,
      Activation epilogue);
}
