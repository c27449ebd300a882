package org.convcl.cpu;

import java.util.List;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;

/**
 * The base of the CPU lowerings: each runs its pass on the {@link CpuGemm} it was made with. The
 * arrays of {@link #run} are, by pass: forward {@code (input, weights, bias, output)}; input
 * gradient {@code (gradOutput, weights, null, gradInput)}; filter gradient {@code (input,
 * gradOutput, null, gradWeights)}. Layouts as in {@link CpuConv}.
 */
abstract class CpuConvLowering implements ConvLowering {
  final CpuGemm gemm;

  CpuConvLowering(CpuGemm gemm) {
    this.gemm = gemm;
  }

  abstract void run(float[] first, float[] second, float[] bias, float[] out, ConvGeometry g);

  /**
   * {@link #run} with the forward pass's activation applied to each output as it is finished
   * ({@link GemmEpilogue}); only a lowering whose {@link #fusesEpilogue} is true takes one.
   */
  void run(
      float[] first,
      float[] second,
      float[] bias,
      float[] out,
      ConvGeometry g,
      org.convcl.ops.Activation epilogue) {
    if (epilogue != null) {
      throw new IllegalStateException(name() + " (" + pass() + ") fuses no activation");
    }
    run(first, second, bias, out, g);
  }

  /** True for the forward lowerings, which apply an activation in their epilogue. */
  boolean fusesEpilogue() {
    return false;
  }

  @Override
  public List<Tunable> tunables() {
    return gemm.blocking.tunables();
  }

  @Override
  public String toString() {
    return name() + " (" + pass() + ")";
  }

  /** Rows of the im2col matrix: the taps of one filter, {@code C/groups * R * S}. */
  static int taps(ConvGeometry g) {
    return g.channelsPerGroup() * g.params().kernelH() * g.params().kernelW();
  }

  /** Windows per image, {@code outH * outW}. */
  static int windows(ConvGeometry g) {
    return g.outH() * g.outW();
  }

  /** A 1x1 kernel with stride 1 and no padding: the im2col matrix is the input itself. */
  static boolean pointwise(ConvGeometry g) {
    ConvParams p = g.params();
    return p.kernelH() == 1
        && p.kernelW() == 1
        && p.strideH() == 1
        && p.strideW() == 1
        && p.padding().equals(Padding.NONE);
  }
}
