package org.convcl.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.convcl.ops.Activation;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.PoolGeometry;

/**
 * A convolution, its activation and the max pool after it in one pass ({@link
 * org.convcl.ops.Ops#convMaxPoolForward}), and the filter and bias gradients from the pooled
 * gradient ({@link org.convcl.ops.Ops#convMaxPoolBackwardFilter}), on the {@link DirectConvKernel}.
 *
 * <p>Forward: each task of {@link DirectForward} (an image and a tile of {@link
 * DirectConvKernel#FILTERS} filters) writes its output planes into its worker's scratch, which
 * stays in L1 (LeNet's conv1: 4 planes of 24x24 floats, 9 KB), activates and pools them from there.
 * The convolution's output (LeNet's conv1: 2.9 MB a batch of 64) is never written to memory and
 * read back. Same bits as convForward then maxPoolForward: the same kernel, epilogue and plane
 * pooling.
 *
 * <p>Filter gradient: where {@link PooledFilterGradient} applies (no padding, dilation 1 along the
 * width, at most {@link DirectConvKernel#LANES} taps a row, and a pool that leaves enough outputs
 * per pooled one), summed over the cells the pool chose only: equal to the separate ops up to
 * rounding. Elsewhere each task of {@link DirectBackwardFilter} (a chunk of images and a tile of
 * filters) first upsamples its share of the pooled gradient into its scratch ({@link
 * CpuPool#scatterPlane}, f' read from the pooled output), where the kernel reads it; the unpooled
 * gradient never exists as a tensor. Same bits as maxPoolBackward then convBackwardFilter. Either
 * way the bias gradient is summed from the pooled gradient by biasBackward's reduction ({@link
 * CpuConv#backwardBias(Parallel, float[], float[], int, int, int, int, float[])}): each product
 * {@code dP * f'}, in pooled order, where biasBackward adds the upsampled cells in cell order (and
 * where windows overlap, a cell holds the float sum of its windows' products): equal up to that
 * rounding.
 *
 * <p>The backend runs these only where the direct kernels are its choice for both passes, so the
 * separate ops would run the same forward kernel, and the same filter-gradient kernel where the
 * chosen cells' sum does not apply.
 */
final class DirectConvMaxPool {
  private DirectConvMaxPool() {}

  /** Whether the fused kernels compute {@code g} with {@code epilogue} (else the ops in turn). */
  static boolean applies(ConvGeometry g, Activation epilogue) {
    return DirectConvPlan.applies(g) && (epilogue == null || GemmEpilogue.fuses(epilogue));
  }

  /** See the class comment; {@code pool.inputShape()} is {@code g.outputShape()}. */
  static void forward(
      CpuGemm gemm,
      float[] input,
      float[] weights,
      float[] bias,
      float[] pooled,
      int[] argmax,
      ConvGeometry g,
      Activation epilogue,
      PoolGeometry pool) {
    DirectConvPlan plan = gemm.plan(g);
    float[] packed = DirectForward.packWeights(gemm, weights, g, plan.taps());
    int windows = plan.windows();
    int planeOut = CpuPool.planeOut(pool);
    gemm.parallel.forEachWorker(
        DirectForward.tasks(g),
        DirectForward.taskWork(plan),
        (task, worker) -> {
          GemmScratch s = gemm.scratch(worker);
          float[] tile = s.outputTile(DirectConvKernel.FILTERS * windows);
          int filters = FilterTiles.filters(g, task);
          DirectForward.runTask(gemm, plan, input, packed, bias, g, task, s, tile, 0);
          activate(epilogue, tile, filters * windows);
          int plane = DirectForward.image(g, task) * g.k() + FilterTiles.firstFilter(g, task);
          for (int i = 0; i < filters; i++) {
            CpuPool.maxForwardPlane(
                tile, i * windows, pooled, argmax, (plane + i) * planeOut, pool);
          }
        });
  }

  /**
   * The epilogue on the tile, in place, as the activation op computes it ({@link
   * CpuElementwise#forwardRange}: ReLU by the vectorised row kernels, a branch on the sign of each
   * output being mispredicted half the time).
   */
  private static void activate(Activation epilogue, float[] tile, int n) {
    if (epilogue != null) {
      CpuElementwise.forwardRange(RowKernels.best(), epilogue, tile, tile, 0, n);
    }
  }

  /**
   * See the class comment. {@code derivative} null: no activation's f' ({@code pooled} is then not
   * read); {@code gradBias} null: no bias. An argmax value outside its window fills both gradients
   * with NaN and throws {@link IllegalArgumentException} naming it, as maxPoolBackward does.
   */
  static void backwardFilter(
      CpuGemm gemm,
      float[] input,
      float[] gradPooled,
      int[] argmax,
      float[] pooled,
      float[] gradWeights,
      float[] gradBias,
      ConvGeometry g,
      Activation derivative,
      PoolGeometry pool) {
    float slope = CpuPool.negativeSlope(derivative);
    float[] y = derivative == null ? null : pooled;
    boolean inWindows =
        PooledFilterGradient.applies(g, pool)
            ? PooledFilterGradient.run(
                gemm, input, gradPooled, argmax, y, slope, gradWeights, g, pool)
            : upsampledFilterGradient(
                gemm, input, gradPooled, argmax, y, slope, gradWeights, g, pool);
    if (!inWindows) {
      Arrays.fill(gradWeights, Float.NaN);
      if (gradBias != null) {
        Arrays.fill(gradBias, Float.NaN);
      }
      CpuPool.failOnArgmax("convMaxPoolBackwardFilter", argmax, pool, gradWeights);
    }
    if (gradBias != null) {
      CpuConv.backwardBias(
          gemm.parallel,
          gradPooled,
          y,
          Float.floatToRawIntBits(slope),
          g.n(),
          g.k(),
          CpuPool.planeOut(pool),
          gradBias);
    }
  }

  /**
   * The filter gradient by {@link DirectBackwardFilter}, each task upsampling its share of the
   * pooled gradient into its scratch first; false where an argmax value lies outside its window.
   */
  private static boolean upsampledFilterGradient(
      CpuGemm gemm,
      float[] input,
      float[] gradPooled,
      int[] argmax,
      float[] y,
      float slope,
      float[] gradWeights,
      ConvGeometry g,
      PoolGeometry pool) {
    DirectConvPlan plan = gemm.plan(g);
    int planeOut = CpuPool.planeOut(pool);
    int row = plan.dyPlane() / g.outH();
    AtomicBoolean bad = new AtomicBoolean();
    DirectBackwardFilter.GradientPlanes unpooled =
        (image, k0, filters, dst, off) -> {
          for (int i = 0; i < filters; i++) {
            int d = off + i * plan.dyPlane();
            int o = (image * g.k() + k0 + i) * planeOut;
            if (!CpuPool.scatterPlane(gradPooled, argmax, y, o, dst, d, pool, slope)) {
              bad.set(true);
            }
            spreadRows(dst, d, g.outH(), g.outW(), row);
          }
        };
    DirectBackwardFilter.run(gemm, input, unpooled, null, gradWeights, g);
    return !bad.get();
  }

  /**
   * Moves the {@code rows x cols} plane at {@code dst[d]} to rows of {@code stride >= cols} floats
   * with zero tails, in place: from the last row up, so no row is overwritten before it moved.
   */
  private static void spreadRows(float[] dst, int d, int rows, int cols, int stride) {
    if (stride == cols) {
      return;
    }
    for (int r = rows - 1; r >= 0; r--) {
      System.arraycopy(dst, d + r * cols, dst, d + r * stride, cols);
      Arrays.fill(dst, d + r * stride + cols, d + (r + 1) * stride, 0f);
    }
  }
}
