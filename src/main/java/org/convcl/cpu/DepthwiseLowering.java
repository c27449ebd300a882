package org.convcl.cpu;

import java.util.List;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.WindowIndex;

/**
 * The base of the direct depthwise passes: convolutions with one input channel per group ({@code
 * groups == C}, {@code K = C * m}, filter k reads channel {@code k / m}), where the GEMM lowering
 * multiplies one tiny {@code m x R*S} matrix per group and image. These passes instead run each
 * filter tap along a whole row with a {@link RowKernels} loop (vectorised when the column stride is
 * 1): every output row is the bias plus {@code R*S} shifted, scaled input rows. Any kernel, stride,
 * padding and dilation; no GEMM, so no blocking tunables.
 */
abstract class DepthwiseLowering extends CpuConvLowering {
  final RowKernels rows;

  DepthwiseLowering(CpuGemm gemm, RowKernels rows) {
    super(gemm);
    this.rows = rows;
  }

  @Override
  public String name() {
    return "depthwise-direct";
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return g.channelsPerGroup() == 1;
  }

  @Override
  public List<Tunable> tunables() {
    return List.of();
  }

  /**
   * Per filter column tap s, the outputs {@code [lo[s], hi[s])} of a row whose input column is real
   * (see {@link WindowIndex#validOutputs}): once per call, not per row.
   */
  record Columns(int[] lo, int[] hi) {
    static Columns of(ConvGeometry g) {
      ConvParams p = g.params();
      int[] lo = new int[p.kernelW()];
      int[] hi = new int[p.kernelW()];
      for (int s = 0; s < p.kernelW(); s++) {
        int[] v =
            WindowIndex.validOutputs(
                g.outW(), p.strideW(), p.padding().left(), s, p.dilationW(), g.w());
        lo[s] = v[0];
        hi[s] = v[1];
      }
      return new Columns(lo, hi);
    }

    /** The input column read by output column {@code lo[s]} through tap s. */
    int firstInput(ConvGeometry g, int s) {
      ConvParams p = g.params();
      return WindowIndex.input(lo[s], p.strideW(), p.padding().left(), s, p.dilationW());
    }
  }

  /** The input row read by output row oh through filter row r, or -1 in the padding. */
  static int inputRow(ConvGeometry g, int oh, int r) {
    ConvParams p = g.params();
    int ih = WindowIndex.input(oh, p.strideH(), p.padding().top(), r, p.dilationH());
    return WindowIndex.inside(ih, g.h()) ? ih : -1;
  }

  /** Work per task for Parallel's split: one unit per multiply-add of an output plane. */
  static long planeWork(ConvGeometry g) {
    return (long) g.outH() * g.outW() * g.params().kernelH() * g.params().kernelW();
  }
}
