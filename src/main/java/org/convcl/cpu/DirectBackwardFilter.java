package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * Filter gradient of a convolution with stride 1 along the width by the {@link DirectConvKernel},
 * reading the images and the output gradient in place (no im2col gather; where the plan pads, the
 * task's images and output-gradient planes are first copied into its scratch, {@link
 * DirectConvPlan}). The sum over the batch is cut into chunks of {@link #chunkImages} images, a
 * function of the shape, so the chunks (and each result's order of operations) do not depend on the
 * thread count; one task per (chunk, group, tile of {@link DirectConvKernel#FILTERS} filters)
 * writes that chunk's partial, and the partials are added in chunk order. Bit-identical for any
 * number of threads.
 */
final class DirectBackwardFilter extends CpuConvLowering {
  /**
   * Images per chunk of the batch sum where their input planes fit {@link #CHUNK_BYTES}: enough
   * work per task, a few tasks per core at batch 64. Each task ends every group of taps with 16
   * lane sums; over 16 images instead of 8 they cost half as much per product (LeNet conv2's
   * backward in the training step: 5.05-5.24 -> 4.63-4.81 ms).
   */
  static final int CHUNK_IMAGES = 16;

  /** Images per chunk where {@link #CHUNK_IMAGES} images would not fit {@link #CHUNK_BYTES}. */
  static final int LARGE_IMAGE_CHUNK = 8;

  /**
   * The input bytes of a chunk (one group) under which it takes {@link #CHUNK_IMAGES} images: every
   * tile of 4 filters streams the chunk's planes once per group of 4 taps, so they should stay in
   * cache. With 16 images the 3x3 layers of 64-256 channels ran 25-35 % slower than with 8 (e.g.
   * 32x64x56x56 -> 64: 69 against 92 GFLOP/s). A constant, so the chunks remain a function of the
   * shape alone.
   */
  static final long CHUNK_BYTES = 1 << 20;

  /** Images per chunk of the batch sum for {@code g}: a function of the shape only. */
  static int chunkImages(ConvGeometry g) {
    long bytes = 4L * CHUNK_IMAGES * g.channelsPerGroup() * g.h() * g.w();
    return bytes <= CHUNK_BYTES ? CHUNK_IMAGES : LARGE_IMAGE_CHUNK;
  }

  DirectBackwardFilter(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public String name() {
    return DirectConvPlan.IMPLEMENTATION;
  }

  @Override
  public ConvPass pass() {
    return ConvPass.BACKWARD_FILTER;
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return DirectConvPlan.applies(g);
  }

  @Override
  public java.util.List<Tunable> tunables() {
    return java.util.List.of();
  }

  /** Chunks of the batch sum of {@code g}. */
  static int chunks(ConvGeometry g) {
    int c = chunkImages(g);
    return (g.n() + c - 1) / c;
  }

  @Override
  void run(float[] input, float[] gradOutput, float[] unused, float[] gradWeights, ConvGeometry g) {
    DirectConvPlan plan = gemm.plan(g);
    int windows = plan.windows();
    GradientPlanes copied =
        (image, k0, filters, dst, off) ->
            plan.padGradient(g, gradOutput, (image * g.k() + k0) * windows, filters, dst, off);
    run(gemm, input, plan.padded() ? copied : null, gradOutput, gradWeights, g);
  }

  /**
   * Where a task finds the output gradient: {@link #write} puts filters {@code k0 .. k0+filters-1}
   * of one image into {@code dst[off + i*dyPlane ..]} as planes of {@link DirectConvPlan#dyPlane}
   * floats, each row's tail up to a whole slot zero.
   */
  interface GradientPlanes {
    void write(int image, int k0, int filters, float[] dst, int off);
  }

  /**
   * The filter gradient of {@code g} into {@code gradWeights}, the output gradient written per task
   * into its scratch by {@code planes}, or, with {@code planes} null, read in place from {@code
   * gradOutput} ({@code [N][K][outH][outW]}; only where the plan does not pad).
   */
  static void run(
      CpuGemm gemm,
      float[] input,
      GradientPlanes planes,
      float[] gradOutput,
      float[] gradWeights,
      ConvGeometry g) {
    DirectConvPlan plan = gemm.plan(g);
    DirectConvKernel kernel = gemm.direct;
    int taps = plan.taps();
    int windows = plan.windows();
    int chunkImages = chunkImages(g);
    int chunks = chunks(g);
    int size = g.k() * taps;
    float[] partials = gemm.shared((chunks - 1) * size);
    gemm.parallel.forEachWorker(
        FilterTiles.tasks(g, chunks),
        (long) DirectConvKernel.FILTERS * taps * windows * Math.min(g.n(), chunkImages),
        (task, worker) -> {
          int chunk = FilterTiles.outer(g, task);
          int group = FilterTiles.group(g, task);
          int n0 = chunk * chunkImages;
          int images = Math.min(chunkImages, g.n() - n0);
          int k0 = FilterTiles.firstFilter(g, task);
          int filters = FilterTiles.filters(g, task);
          GemmScratch s = gemm.scratch(worker);
          float[] x = input;
          int xBase = GemmConvForward.groupPlanes(n0, group, g);
          int xImage = g.c() * g.h() * g.w();
          if (plan.padded()) {
            x = s.aux(plan.paddedSize(g, images));
            xImage = plan.groupInput(g);
            for (int m = 0; m < images; m++) {
              plan.pad(g, input, GemmConvForward.groupPlanes(n0 + m, group, g), x, m * xImage);
            }
            java.util.Arrays.fill(x, images * xImage, plan.paddedSize(g, images), 0f);
            xBase = 0;
          }
          float[] c = chunk == 0 ? gradWeights : partials;
          int cOff = (chunk == 0 ? 0 : (chunk - 1) * size) + k0 * taps;
          float[] dy = gradOutput;
          int dyBase = (n0 * g.k() + k0) * windows;
          int dyImage = g.k() * windows;
          if (planes != null) {
            int block = DirectConvKernel.FILTERS * plan.dyPlane();
            dy = s.a(images * block);
            for (int m = 0; m < images; m++) {
              planes.write(n0 + m, k0, filters, dy, m * block);
            }
            dyBase = 0;
            dyImage = block;
          }
          kernel.filterGradient(
              plan, x, xBase, xImage, dy, dyBase, dyImage, images, c, cOff, filters, s.edge);
        });
    addPartials(gemm, gradWeights, partials, chunks, taps, g.k());
  }

  /**
   * Adds to each of the {@code filters} filters' {@code taps} entries of {@code gradWeights} (chunk
   * 0's sums) the partials of chunks 1 .. chunks-1 ({@code partials}, one block of {@code filters *
   * taps} per chunk), in chunk order, one task per filter.
   */
  static void addPartials(
      CpuGemm gemm, float[] gradWeights, float[] partials, int chunks, int taps, int filters) {
    if (chunks <= 1) {
      return;
    }
    int size = filters * taps;
    gemm.parallel.forEach(
        filters,
        (long) (chunks - 1) * taps,
        k -> {
          for (int chunk = 1; chunk < chunks; chunk++) {
            int off = (chunk - 1) * size;
            for (int i = k * taps, end = i + taps; i < end; i++) {
              gradWeights[i] += partials[off + i];
            }
          }
        });
  }
}
