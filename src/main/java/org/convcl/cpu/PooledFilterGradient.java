package org.convcl.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;

/**
 * The filter and bias gradients of a convolution followed by a max pool, from the pool's gradient
 * ({@link org.convcl.ops.Ops#convMaxPoolBackwardFilter}), summed over the cells the pool chose
 * only. The upsampled gradient is 0 at every other cell, so the filter gradient on it
 * (convBackwardFilter) spends most of its products on zeros: 3 of 4 behind a 2x2 pool of stride 2.
 * With {@code dP} the pooled gradient, {@code f'} the activation's derivative read from the pooled
 * output {@code y}, and {@code (oh, ow)} the convolution output cell that pooled output {@code o}
 * of plane {@code (n, k)} chose ({@code argmax[o] = oh*outW + ow}):
 *
 * <pre>
 *   gradWeights[k][c][r][s] = sum over n, o of dP[o] f'(y[o]) x[n][c][oh*sh + r*dh][ow*sw + s]
 *   gradBias[k]             = sum over n, o of dP[o] f'(y[o])
 * </pre>
 *
 * (the bias is left to the caller: biasBackward's reduction of those products, {@link
 * CpuConv#backwardBias(Parallel, float[], float[], int, int, int, int, float[])}).
 *
 * <p>The batch is cut into the chunks of {@link DirectBackwardFilter#chunkImages} images, one task
 * per (chunk, filter). A task lists its cells in (image, output) order, each as the input offset of
 * its tap (0, 0) and its gradient {@code dP f'}, checking every argmax against its window as
 * maxPoolBackward does; then the {@link DirectConvKernel#gatherGradient} kernel adds, for each row
 * of {@code kernelW} taps, one vector per cell: the filter's gradient is one chain of fused
 * multiply-adds per entry over the cells in list order. The chunks' partials are added in chunk
 * order, so every thread count gives the same bits. Against the separate ops the values are equal
 * up to rounding (another order of the same nonzero products; where pool windows overlap, a cell
 * that two windows chose adds two products instead of one of their summed gradient), and a product
 * {@code 0 * x} that is never formed cannot turn an infinite or NaN input into NaN.
 *
 * <p>The input is read in place, so the convolution has no padding, and a tap row is consecutive
 * cells (dilation 1 along the width, at most {@link DirectConvKernel#LANES} taps). Per pooled
 * output and tap row, the dense kernel issues about {@code strideH * strideW * kernelW / LANES}
 * vector products (one product per convolution output the pool's stride leaves per pooled output,
 * LANES to a vector), this kernel one, with a lower rate (more loads per product, and the listing):
 * {@link #applies} asks for at least twice as many dense ones. LeNet's conv1 and conv2 (5 taps a
 * row, 2x2 pool of stride 2: 2.5) qualify (docs/cpu.md has the figures); a 3x3 convolution behind
 * the same pool (1.5) does not.
 */
final class PooledFilterGradient {
  private PooledFilterGradient() {}

  /** Whether this computes the fused filter gradient of {@code g} behind {@code pool}. */
  static boolean applies(ConvGeometry g, PoolGeometry pool) {
    ConvParams p = g.params();
    PoolParams pp = pool.params();
    return p.padding().equals(Padding.NONE)
        && p.dilationW() == 1
        && p.kernelW() <= DirectConvKernel.LANES
        && pp.strideH() * pp.strideW() * p.kernelW() >= 2 * DirectConvKernel.LANES;
  }

  /**
   * The filter gradient of the class comment; {@code y} null: no derivative ({@code slope} unused).
   * Returns false where an argmax value is not a cell of its own window (the gradient is then
   * undefined: the caller poisons it and names the value).
   */
  static boolean run(
      CpuGemm gemm,
      float[] input,
      float[] gradPooled,
      int[] argmax,
      float[] y,
      float slope,
      float[] gradWeights,
      ConvGeometry g,
      PoolGeometry pool) {
    int taps = CpuConvLowering.taps(g);
    int chunks = DirectBackwardFilter.chunks(g);
    int size = g.k() * taps;
    float[] partials = gemm.shared((chunks - 1) * size);
    int chunkImages = DirectBackwardFilter.chunkImages(g);
    int planeOut = CpuPool.planeOut(pool);
    AtomicBoolean bad = new AtomicBoolean();
    gemm.parallel.forEachWorker(
        chunks * g.k(),
        (long) Math.min(g.n(), chunkImages) * planeOut * taps,
        (task, worker) -> {
          int chunk = task / g.k();
          int k = task % g.k();
          float[] out = chunk == 0 ? gradWeights : partials;
          int outOff = (chunk == 0 ? 0 : (chunk - 1) * size) + k * taps;
          if (!task(
              gemm.scratch(worker),
              gemm.direct,
              input,
              gradPooled,
              argmax,
              y,
              slope,
              g,
              pool,
              chunk * chunkImages,
              Math.min(chunkImages, g.n() - chunk * chunkImages),
              k,
              out,
              outOff)) {
            bad.set(true);
          }
        });
    if (bad.get()) {
      return false;
    }
    DirectBackwardFilter.addPartials(gemm, gradWeights, partials, chunks, taps, g.k());
    return true;
  }

  /**
   * One (chunk, filter): lists the cells of images {@code [n0, n0 + images)} and writes the
   * filter's gradient over them at {@code out[outOff ..]}. False, writing nothing, where an argmax
   * value lies outside its window.
   */
  private static boolean task(
      GemmScratch s,
      DirectConvKernel kernel,
      float[] x,
      float[] gradPooled,
      int[] argmax,
      float[] y,
      float slope,
      ConvGeometry g,
      PoolGeometry pool,
      int n0,
      int images,
      int k,
      float[] out,
      int outOff) {
    ConvParams cp = g.params();
    int rows = g.channelsPerGroup() * cp.kernelH();
    int width = cp.kernelW();
    int planeOut = CpuPool.planeOut(pool);
    int cap = images * planeOut;
    // cells[0, cap): each listed cell's input offset of tap (0, 0); cells[cap, cap + rows): each
    // tap row's offset from there (channel within the filter's group, kernel row).
    int[] cells = s.ints(cap + rows);
    float[] grads = s.aux(cap);
    int rowAt = cap;
    int group = k / g.filtersPerGroup();
    for (int c = 0; c < g.channelsPerGroup(); c++) {
      for (int r = 0; r < cp.kernelH(); r++) {
        cells[rowAt + c * cp.kernelH() + r] = (c * g.h() + r * cp.dilationH()) * g.w();
      }
    }
    PoolParams pp = pool.params();
    int w = pool.w();
    int planeIn = pool.h() * w;
    double inverseW = 1.0 / w;
    int slopeBits = Float.floatToRawIntBits(slope);
    // One flat loop per plane with the window's origin stepped along, the checks of every cell
    // and-ed together (as in maxPoolBackward's scatter): no branch per cell.
    boolean inWindows = true;
    for (int m = 0, q = 0; m < images; m++) {
      int o = ((n0 + m) * g.k() + k) * planeOut;
      int groupPlanes = GemmConvForward.groupPlanes(n0 + m, group, g);
      int h0 = -pp.padding().top();
      int w0 = -pp.padding().left();
      for (int end = o + planeOut, ow = 0; o < end; o++, q++) {
        int a = argmax[o];
        int ih = CpuPool.rowOf(a, inverseW);
        inWindows &= CpuPool.inWindow(a, ih, h0, w0, w, planeIn, pp);
        cells[q] = groupPlanes + ih * cp.strideH() * g.w() + (a - ih * w) * cp.strideW();
        grads[q] = gradPooled[o] * CpuPool.derivative(y, o, slopeBits);
        w0 += pp.strideW();
        if (++ow == pool.outW()) {
          ow = 0;
          w0 = -pp.padding().left();
          h0 += pp.strideH();
        }
      }
    }
    if (!inWindows) {
      return false; // the cells' offsets may lie outside the input: no kernel reads them
    }
    // The kernel's vector loads read LANES floats of a row: from the first cell whose loads could
    // pass the input's end (in the last image's last rows) on, it reads lane by lane. A tile of
    // later tap rows reaches further, so its first such cell comes no later than the tile before's.
    int vectorCount = cap;
    for (int row0 = 0; row0 < rows; row0 += DirectConvKernel.GATHER_ROWS) {
      int tileRows = Math.min(DirectConvKernel.GATHER_ROWS, rows - row0);
      int limit = x.length - cells[rowAt + row0 + tileRows - 1] - DirectConvKernel.LANES;
      int safe = 0;
      while (safe < vectorCount && cells[safe] <= limit) {
        safe++;
      }
      vectorCount = safe;
      kernel.gatherGradient(
          x,
          cells,
          grads,
          cap,
          vectorCount,
          cells,
          rowAt + row0,
          tileRows,
          width,
          out,
          outOff + row0 * width,
          s.edge);
    }
    return true;
  }
}
