package org.convcl.cpu;

/**
 * The inner loops of the direct convolution lowerings ({@link DirectForward}, {@link
 * DirectBackwardFilter}): a register tile of {@link #FILTERS} filters against the slots of a {@link
 * DirectConvPlan}, read straight from the image. Two implementations, {@code SimdDirectConvKernel}
 * (jdk.incubator.vector, vectors of {@link #LANES} floats) and {@link ScalarDirectConvKernel}, do
 * the same float operations in the same order, so they give the same bits:
 *
 * <ul>
 *   <li>forward: {@code out[k][p] = fma(w[k][taps-1], x(taps-1, p), ... fma(w[k][0], x(0, p),
 *       bias[k]))}, the taps in order from the bias: the chain of the im2col GEMM, same bits.
 *   <li>input gradient ({@link #fold}): adds in the order of its loops, the same in both.
 *   <li>filter gradient: for each (filter k, tap j), {@link #LANES} partial sums, partial {@code l}
 *       the fused multiply-adds of the windows in lane l of every slot, images then slots in order;
 *       then the partials added in lane order, {@code ((p0 + p1) + p2) + ...}.
 *   <li>filter gradient from a max pool's gradient ({@link #gatherGradient}): for each entry, one
 *       chain of fused multiply-adds over the listed cells in list order, from 0.
 * </ul>
 *
 * The lane count is part of that definition (the filter gradient's order), not a property of the
 * machine: 8 floats is one AVX2 register and half an AVX-512 one (on cores that split 512-bit
 * operations into two 256-bit halves, such as AMD Zen 4, no slower per float), and it divides
 * LeNet's output rows (24 and 8 windows).
 */
interface DirectConvKernel {
  /** Windows per slot, and partial sums per filter-gradient entry. */
  int LANES = 8;

  /** Filters per register tile. */
  int FILTERS = 4;

  /** Tap rows per call of {@link #gatherGradient} (its accumulators). */
  int GATHER_ROWS = 5;

  /** True for the jdk.incubator.vector kernel. */
  boolean vectorized();

  /**
   * Forward for filters {@code k0 .. k0+filters-1} ({@code filters <= FILTERS}) of one image and
   * group, every slot: {@code out[outBase + i*windows + window]} for filter {@code k0 + i}. The
   * image's group planes start at {@code x[xBase]} laid out as {@code p} says; the weights of the
   * tile are packed as {@code w[wOff + tap*FILTERS + i]} (zero for {@code i >= filters}); {@code
   * bias} may be null (0). {@code tmp} holds at least {@link #LANES} floats.
   */
  void forward(
      DirectConvPlan p,
      float[] x,
      int xBase,
      float[] w,
      int wOff,
      float[] bias,
      int k0,
      float[] out,
      int outBase,
      int filters,
      float[] tmp);

  /**
   * Filter gradient of {@code filters} filters over {@code images} images: {@code out[outOff +
   * i*taps + j] = sum over the images and windows of dy(i, window) * x(j, window)}, where image m's
   * group planes start at {@code x[xBase + m*xImage]} and its gradient of filter i at {@code
   * dy[dyBase + m*dyImage + i*p.dyPlane()]}, slot s at {@code s*LANES} in that plane (zero past the
   * slot's windows). Written, not added. {@code tmp} holds at least {@link #LANES} floats.
   */
  void filterGradient(
      DirectConvPlan p,
      float[] x,
      int xBase,
      int xImage,
      float[] dy,
      int dyBase,
      int dyImage,
      int images,
      float[] out,
      int outOff,
      int filters,
      float[] tmp);

  /**
   * The adjoint of the im2col gather ("col2im") for slots {@code [s0, s1)}: for each tap {@code j =
   * p.foldOrder()[jj]} in that order, for each slot s in order, {@code dx[xBase + slotIn[s] +
   * tapIn[j] + l] += dcol[dOff + j*ld + slotOut[s] - p0 + l]} for the slot's windows l. dcol holds
   * windows {@code p0 ..} of every tap, row stride {@code ld}.
   */
  void fold(
      DirectConvPlan p,
      float[] dcol,
      int dOff,
      int ld,
      int p0,
      int s0,
      int s1,
      float[] dx,
      int xBase);

  /**
   * One filter's gradient over the cells a max pool chose ({@link PooledFilterGradient}), for
   * {@code rows <= GATHER_ROWS} tap rows of {@code width <= LANES} taps each, row i starting at
   * input offset {@code rowOff[rowAt + i]}: {@code out[outOff + i*width + s] = fma(g[q], x[xo[q] +
   * rowOff[rowAt + i] + s], ...)} for q in {@code [0, count)} in order, the chain starting from 0
   * (written, not added). For {@code q < vectorCount} the loads of a whole vector, {@code x[xo[q] +
   * rowOff[rowAt + i] + LANES - 1]}, must lie in {@code x}; the cells from {@code vectorCount} on
   * are read lane by lane. {@code tmp} holds at least {@link #LANES} floats.
   */
  void gatherGradient(
      float[] x,
      int[] xo,
      float[] g,
      int count,
      int vectorCount,
      int[] rowOff,
      int rowAt,
      int rows,
      int width,
      float[] out,
      int outOff,
      float[] tmp);
}
