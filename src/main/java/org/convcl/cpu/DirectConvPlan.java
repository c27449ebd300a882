package org.convcl.cpu;

import java.util.Arrays;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;

/**
 * A convolution with stride 1 along the width as the direct kernels ({@link DirectConvKernel}) walk
 * it, with no im2col matrix: the windows of one output row are cut into slots of {@link
 * DirectConvKernel#LANES} consecutive windows (the last of a row shorter), and with stride 1 the
 * input cells that one filter tap reads across a slot are consecutive too, so a slot is one vector
 * load per tap straight from the image. Per slot s: {@code slotIn[s]} (the cell that the slot's
 * first window reads through tap 0, relative to the group's first plane), {@code slotOut[s]} (its
 * first window, {@code oh*outW + ow}) and {@code slotLanes[s]} (its windows). Per tap {@code j =
 * (ci*R + r)*S + s}: {@code tapIn[j] = ci*planeStride + r*dilationH*rowStride + s*dilationW};
 * {@code foldOrder} lists the taps in the order the input-gradient fold visits them.
 *
 * <p>The image is read in place ({@code rowStride = W}) when there is no padding and every slot is
 * full. Otherwise each task first copies its images' group planes into a zero-padded buffer of
 * {@code (H + top + bottom) x (W + left + right + extra)} planes ({@link #pad}), where {@code
 * extra} zero columns take the full-width loads of a row's short last slot, so the kernels never
 * mask a load: the extra lanes read zeros. The output gradient is read the same way, as planes of
 * {@code slots * LANES} floats ({@link #dyPlane}): in place when every slot is full, else copied
 * with zero tails ({@link #padGradient}).
 */
record DirectConvPlan(
    int taps,
    int windows,
    int rowStride,
    int planeStride,
    boolean padded,
    int[] slotIn,
    int[] slotOut,
    int[] slotLanes,
    int[] tapIn,
    int[] foldOrder) {
  /** The name under which the direct lowerings of every pass register (forward, both gradients). */
  static final String IMPLEMENTATION = "direct";

  /** The direct kernels handle stride 1 along the width; any stride in height, padding, groups. */
  static boolean applies(ConvGeometry g) {
    return g.params().strideW() == 1;
  }

  static DirectConvPlan of(ConvGeometry g) {
    ConvParams p = g.params();
    Padding pad = p.padding();
    int lanes = DirectConvKernel.LANES;
    boolean padded = !pad.equals(Padding.NONE) || g.outW() % lanes != 0;
    int perRow = (g.outW() + lanes - 1) / lanes;
    int extra = perRow * lanes - g.outW();
    int rowStride = padded ? g.w() + pad.left() + pad.right() + extra : g.w();
    int rows = padded ? g.h() + pad.top() + pad.bottom() : g.h();
    int planeStride = rows * rowStride;
    int slots = g.outH() * perRow;
    int[] in = new int[slots];
    int[] out = new int[slots];
    int[] count = new int[slots];
    for (int oh = 0, s = 0; oh < g.outH(); oh++) {
      for (int ow = 0; ow < g.outW(); ow += lanes, s++) {
        in[s] = oh * p.strideH() * rowStride + ow;
        out[s] = oh * g.outW() + ow;
        count[s] = Math.min(lanes, g.outW() - ow);
      }
    }
    int taps = CpuConvLowering.taps(g);
    int[] tapIn = new int[taps];
    for (int j = 0; j < taps; j++) {
      int s = j % p.kernelW();
      int r = j / p.kernelW() % p.kernelH();
      int ci = j / (p.kernelW() * p.kernelH());
      tapIn[j] = ci * planeStride + r * p.dilationH() * rowStride + s * p.dilationW();
    }
    // The fold visits the taps as (ci, s, r): tap (r + 1) of a slot then writes exactly the cells
    // that tap r wrote one slot later, so a vector read of dx finds the earlier vector write whole
    // (in (ci, r, s) order consecutive taps overlap it by all but one float, which stalls loads).
    int[] order = new int[taps];
    int k = 0;
    for (int ci = 0; ci < g.channelsPerGroup(); ci++) {
      for (int s = 0; s < p.kernelW(); s++) {
        for (int r = 0; r < p.kernelH(); r++) {
          order[k++] = (ci * p.kernelH() + r) * p.kernelW() + s;
        }
      }
    }
    return new DirectConvPlan(
        taps, g.outH() * g.outW(), rowStride, planeStride, padded, in, out, count, tapIn, order);
  }

  int slots() {
    return slotIn.length;
  }

  /** Floats of one filter's output-gradient plane as the filter-gradient kernel reads it. */
  int dyPlane() {
    return slots() * DirectConvKernel.LANES;
  }

  /**
   * Copies the output-gradient planes of {@code filters} filters from {@code dy[src]} ({@code
   * [filters][outH][outW]}) into {@code dst[off ..]} as planes of {@link #dyPlane} floats, each
   * row's tail up to a whole slot zero.
   */
  void padGradient(ConvGeometry g, float[] dy, int src, int filters, float[] dst, int off) {
    int row = dyPlane() / g.outH();
    for (int i = 0; i < filters; i++) {
      for (int oh = 0; oh < g.outH(); oh++) {
        int d = off + i * dyPlane() + oh * row;
        System.arraycopy(dy, src + (i * g.outH() + oh) * g.outW(), dst, d, g.outW());
        Arrays.fill(dst, d + g.outW(), d + row, 0f);
      }
    }
  }

  /**
   * Copies the interior of the padded planes at {@code src[off ..]} (without the padding) into the
   * NCHW group planes at {@code x[dst]} (the inverse of {@link #pad}, for the input gradient).
   */
  void unpad(ConvGeometry g, float[] src, int off, float[] x, int dst) {
    Padding pad = g.params().padding();
    for (int c = 0; c < g.channelsPerGroup(); c++) {
      int s = off + c * planeStride + pad.top() * rowStride + pad.left();
      int d = dst + c * g.h() * g.w();
      for (int h = 0; h < g.h(); h++) {
        System.arraycopy(src, s + h * rowStride, x, d + h * g.w(), g.w());
      }
    }
  }

  /** Floats of one image's group planes as the kernels read them (padded or in place). */
  int groupInput(ConvGeometry g) {
    return g.channelsPerGroup() * planeStride;
  }

  /** The floats a buffer of {@code images} padded images needs, the trailing zeros included. */
  int paddedSize(ConvGeometry g, int images) {
    return images * groupInput(g) + DirectConvKernel.LANES;
  }

  /**
   * Copies the group planes that start at {@code x[src]} (NCHW) into {@code dst[off ..]} with the
   * padding as zeros: {@code C/groups} planes of {@code planeStride} floats.
   */
  void pad(ConvGeometry g, float[] x, int src, float[] dst, int off) {
    Padding pad = g.params().padding();
    int planes = g.channelsPerGroup();
    Arrays.fill(dst, off, off + planes * planeStride, 0f);
    for (int c = 0; c < planes; c++) {
      int d = off + c * planeStride + pad.top() * rowStride + pad.left();
      int s = src + c * g.h() * g.w();
      for (int h = 0; h < g.h(); h++) {
        System.arraycopy(x, s + h * g.w(), dst, d + h * rowStride, g.w());
      }
    }
  }
}
