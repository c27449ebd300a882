package org.convcl.cpu;

import java.util.Arrays;
import org.convcl.tensor.ConvGeometry;

/**
 * {@link DirectFoldBackwardInput} with several images per product: {@code dcol = W^T * dY} for
 * {@link #images} consecutive images side by side ({@link ImageColumnsKPanel}), the fewest whose
 * windows fill whole register tiles, then each image's block folded onto its input. Where one
 * image's window count is not a multiple of the tile width (LeNet conv2: 64 windows, tiles of 24)
 * every third column tile of a one-image product is an edge tile, run on a copy with a third of its
 * lanes idle; three images (192 windows, 8 tiles) have none. Applies where that many images' dcol
 * fits the fold budget ({@link #foldColumns}).
 */
final class BatchedFoldBackwardInput extends FoldGemmBackwardInput {
  BatchedFoldBackwardInput(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public String name() {
    return "gemm-fold-direct-batched";
  }

  @Override
  public boolean applies(ConvGeometry g) {
    if (!DirectConvPlan.applies(g)) {
      return false;
    }
    int q = images(g);
    return q > 1 && q * windows(g) <= foldColumns(taps(g));
  }

  /** The fewest images whose windows are a whole number of register tiles. */
  int images(ConvGeometry g) {
    int nr = gemm.blocking.nr();
    return nr / gcd(windows(g), nr);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  @Override
  void run(float[] gradOutput, float[] weights, float[] unused, float[] gradInput, ConvGeometry g) {
    DirectConvPlan plan = gemm.plan(g);
    int taps = plan.taps();
    int windows = plan.windows();
    int q = images(g);
    int kg = g.filtersPerGroup();
    Sgemm.PackedA[] packed = packWeights(weights, g);
    int tasks = (g.n() + q - 1) / q;
    gemm.parallel.forEachWorker(
        tasks * g.groups(),
        (long) taps * windows * kg * q,
        (task, worker) -> {
          int n0 = task / g.groups() * q;
          int group = task % g.groups();
          int count = Math.min(q, g.n() - n0);
          int width = count * windows;
          GemmScratch s = gemm.scratch(worker);
          float[] tile = s.aux(taps * width);
          Arrays.fill(tile, 0, taps * width, 0f);
          KPanel b =
              new ImageColumnsKPanel(
                  gradOutput, group * kg * windows, g.k() * windows, windows, n0);
          gemm.block(worker, packed[group], b, 0, taps, 0, width, kg, tile, 0, width);
          for (int m = 0; m < count; m++) {
            int planes = GemmConvForward.groupPlanes(n0 + m, group, g);
            float[] dx = DirectFoldBackwardInput.foldTarget(plan, g, s, gradInput, planes);
            int base = plan.padded() ? 0 : planes;
            gemm.direct.fold(plan, tile, m * windows, width, 0, 0, plan.slots(), dx, base);
            DirectFoldBackwardInput.foldDone(plan, g, dx, gradInput, planes);
          }
        });
  }
}
