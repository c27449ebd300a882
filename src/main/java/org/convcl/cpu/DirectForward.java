package org.convcl.cpu;

import org.convcl.ops.Activation;
import org.convcl.tensor.ConvGeometry;

/**
 * Forward pass of a convolution with stride 1 along the width by the {@link DirectConvKernel}: no
 * im2col tile is packed; the kernel reads each tap's inputs for a slot of windows with one vector
 * load from the image. Worth it where packing dominates, such as few input channels (LeNet's conv1,
 * C = 1: 25 taps per window) or short output rows. One task per (image, group, tile of {@link
 * DirectConvKernel#FILTERS} filters); the weights are packed once per call into tiles of {@code
 * [tap][FILTERS]}. Same bits as {@link Im2colGemmForward} (see {@link DirectConvKernel}).
 */
final class DirectForward extends FusingForward {
  DirectForward(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public String name() {
    return "direct";
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return DirectConvPlan.applies(g);
  }

  @Override
  public java.util.List<Tunable> tunables() {
    return java.util.List.of();
  }

  /**
   * Not fused: with the activation applied here, right after the kernel (or inside it, on the
   * vectors), LeNet's first training steps allocated hundreds of MB each (the JIT compiled the
   * kernel without removing its vector objects for a while), so the backend applies it in place
   * afterwards. The epilogue path stays, tested, for a later JIT.
   */
  @Override
  boolean fusesEpilogue() {
    return false;
  }

  @Override
  void run(
      float[] input,
      float[] weights,
      float[] bias,
      float[] output,
      ConvGeometry g,
      Activation epilogue) {
    DirectConvPlan plan = gemm.plan(g);
    DirectConvKernel kernel = gemm.direct;
    int taps = plan.taps();
    int kg = g.filtersPerGroup();
    int tiles = (kg + DirectConvKernel.FILTERS - 1) / DirectConvKernel.FILTERS;
    int groups = g.groups();
    float[] packed = packWeights(weights, g, taps, tiles);
    gemm.parallel.forEachWorker(
        g.n() * groups * tiles,
        (long) DirectConvKernel.FILTERS * taps * plan.windows(),
        (task, worker) -> {
          int image = task / (groups * tiles);
          int group = task / tiles % groups;
          int tile = task % tiles;
          int src = GemmConvForward.groupPlanes(image, group, g);
          GemmScratch s = gemm.scratch(worker);
          float[] x = input;
          if (plan.padded()) {
            x = s.aux(plan.paddedSize(g, 1));
            plan.pad(g, input, src, x, 0);
            java.util.Arrays.fill(x, plan.groupInput(g), plan.paddedSize(g, 1), 0f);
            src = 0;
          }
          int k0 = group * kg + tile * DirectConvKernel.FILTERS;
          int filters = Math.min(DirectConvKernel.FILTERS, group * kg + kg - k0);
          int wOff = (group * tiles + tile) * taps * DirectConvKernel.FILTERS;
          int outBase = (image * g.k() + k0) * plan.windows();
          kernel.forward(plan, x, src, packed, wOff, bias, k0, output, outBase, filters, s.edge);
          GemmEpilogue.apply(epilogue, output, outBase, filters, plan.windows(), plan.windows());
        });
  }

  /**
   * {@code packed[((group*tiles + tile)*taps + j)*FILTERS + i] = w[k][j]} for filter {@code k =
   * group*kg + tile*FILTERS + i}, 0 past the group's filters.
   */
  private float[] packWeights(float[] w, ConvGeometry g, int taps, int tiles) {
    int f = DirectConvKernel.FILTERS;
    int kg = g.filtersPerGroup();
    float[] packed = gemm.shared(g.groups() * tiles * taps * f);
    for (int group = 0; group < g.groups(); group++) {
      for (int tile = 0; tile < tiles; tile++) {
        int base = (group * tiles + tile) * taps * f;
        for (int i = 0; i < f; i++) {
          int k = tile * f + i;
          for (int j = 0; j < taps; j++) {
            packed[base + j * f + i] = k < kg ? w[(group * kg + k) * taps + j] : 0f;
          }
        }
      }
    }
    return packed;
  }
}
