package org.convcl.cpu;

import java.util.Arrays;
import org.convcl.tensor.ConvGeometry;

/**
 * The input gradient of a convolution with stride 1 along the width as {@link
 * FoldGemmBackwardInput} computes it ({@code dcol = W^T * gradOutput} on the GEMM core, a block of
 * windows at a time), but folded onto the input by {@link DirectConvKernel#fold}: one vector
 * read-add-write per (tap, slot of the {@link DirectConvPlan}) instead of a walk per (tap, row).
 * Blocks are whole output rows, so they are whole slots. Where the plan pads, the fold runs on a
 * zeroed padded buffer of the worker and the interior is copied out.
 */
final class DirectFoldBackwardInput extends FoldGemmBackwardInput {
  DirectFoldBackwardInput(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public String name() {
    return "gemm-fold-direct";
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return DirectConvPlan.applies(g);
  }

  @Override
  void run(float[] gradOutput, float[] weights, float[] unused, float[] gradInput, ConvGeometry g) {
    DirectConvPlan plan = gemm.plan(g);
    int taps = plan.taps();
    int windows = plan.windows();
    int rows = Math.max(1, Math.min(foldColumns(taps), windows) / g.outW());
    int perRow = plan.slots() / g.outH();
    Sgemm.PackedA[] packed = packWeights(weights, g);
    gemm.parallel.forEachWorker(
        g.n() * g.groups(),
        (long) taps * windows * g.filtersPerGroup(),
        (task, worker) -> {
          int image = task / g.groups();
          int group = task % g.groups();
          int planes = GemmConvForward.groupPlanes(image, group, g);
          GemmScratch s = gemm.scratch(worker);
          float[] dx = foldTarget(plan, g, s, gradInput, planes);
          int base = plan.padded() ? 0 : planes;
          float[] tile = s.aux(taps * rows * g.outW());
          for (int oh = 0; oh < g.outH(); oh += rows) {
            int p0 = oh * g.outW();
            int width = Math.min(rows, g.outH() - oh) * g.outW();
            dcol(worker, packed[group], gradOutput, image, group, g, p0, width, tile);
            int s0 = oh * perRow;
            int s1 = Math.min(g.outH(), oh + rows) * perRow;
            gemm.direct.fold(plan, tile, 0, width, p0, s0, s1, dx, base);
          }
          foldDone(plan, g, dx, gradInput, planes);
        });
  }

  /**
   * The array that the fold onto the group planes at {@code planes} of {@code gradInput} adds into,
   * zeroed: the worker's padded buffer (from index 0) where the plan pads, else {@code gradInput}
   * itself (from {@code planes}).
   */
  static float[] foldTarget(
      DirectConvPlan plan, ConvGeometry g, GemmScratch s, float[] gradInput, int planes) {
    if (plan.padded()) {
      float[] dx = s.a(plan.paddedSize(g, 1));
      Arrays.fill(dx, 0, plan.paddedSize(g, 1), 0f);
      return dx;
    }
    Arrays.fill(gradInput, planes, planes + g.channelsPerGroup() * g.h() * g.w(), 0f);
    return gradInput;
  }

  /** After a fold into {@link #foldTarget}'s array: the padded buffer's interior into gradInput. */
  static void foldDone(
      DirectConvPlan plan, ConvGeometry g, float[] dx, float[] gradInput, int planes) {
    if (plan.padded()) {
      plan.unpad(g, dx, 0, gradInput, planes);
    }
  }
}
