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
    return DirectConvPlan.IMPLEMENTATION;
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
    float[] packed = packWeights(gemm, weights, g, plan.taps());
    gemm.parallel.forEachWorker(
        tasks(g),
        taskWork(plan),
        (task, worker) -> {
          int outBase =
              (image(g, task) * g.k() + FilterTiles.firstFilter(g, task)) * plan.windows();
          runTask(gemm, plan, input, packed, bias, g, task, gemm.scratch(worker), output, outBase);
          GemmEpilogue.apply(
              epilogue,
              output,
              outBase,
              FilterTiles.filters(g, task),
              plan.windows(),
              plan.windows());
        });
  }

  /**
   * Tasks of a forward: one per (image, group, tile of filters), as {@link FilterTiles} orders
   * them.
   */
  static int tasks(ConvGeometry g) {
    return FilterTiles.tasks(g, g.n());
  }

  /** The work of one task, for Parallel's split. */
  static long taskWork(DirectConvPlan plan) {
    return (long) DirectConvKernel.FILTERS * plan.taps() * plan.windows();
  }

  /** The image of {@code task}. */
  static int image(ConvGeometry g, int task) {
    return FilterTiles.outer(g, task);
  }

  /**
   * Runs {@code task}: its filters' outputs for its image, filter i's plane of {@code windows}
   * floats at {@code out[outBase + i*windows]}, no activation. {@code s} is the worker's scratch
   * (its aux buffer takes the padded image where the plan pads).
   */
  static void runTask(
      CpuGemm gemm,
      DirectConvPlan plan,
      float[] input,
      float[] packed,
      float[] bias,
      ConvGeometry g,
      int task,
      GemmScratch s,
      float[] out,
      int outBase) {
    int src = GemmConvForward.groupPlanes(image(g, task), FilterTiles.group(g, task), g);
    float[] x = input;
    if (plan.padded()) {
      x = s.aux(plan.paddedSize(g, 1));
      plan.pad(g, input, src, x, 0);
      java.util.Arrays.fill(x, plan.groupInput(g), plan.paddedSize(g, 1), 0f);
      src = 0;
    }
    int wOff = FilterTiles.groupTile(g, task) * plan.taps() * DirectConvKernel.FILTERS;
    int k0 = FilterTiles.firstFilter(g, task);
    gemm.direct.forward(
        plan, x, src, packed, wOff, bias, k0, out, outBase, FilterTiles.filters(g, task), s.edge);
  }

  /**
   * {@code packed[((group*tiles + tile)*taps + j)*FILTERS + i] = w[k][j]} for filter {@code k =
   * group*kg + tile*FILTERS + i}, 0 past the group's filters.
   */
  static float[] packWeights(CpuGemm gemm, float[] w, ConvGeometry g, int taps) {
    int f = DirectConvKernel.FILTERS;
    int tiles = FilterTiles.tiles(g);
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
