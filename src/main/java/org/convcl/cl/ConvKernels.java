package org.convcl.cl;

import org.convcl.impl.ConvCall;
import org.convcl.impl.Settings;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The launchers of opencl/conv_*.cl (one per kernel, referenced by {@link ClImplementations}) and
 * the deterministic two-pass reductions of the gradients.
 */
final class ConvKernels {
  /** Aim for at least this many terms per partial sum of a gradient reduction. */
  private static final int MIN_CHUNK = 32;

  /** At most this many partial sums per gradient element. */
  private static final int MAX_CHUNKS = 64;

  /** Cap on the partial-sum buffer, in floats (32 MiB), so big filters use fewer chunks. */
  private static final int MAX_PARTIAL_FLOATS = 1 << 23;

  /** Columns per work-item of the register-blocked kernels (one float8). */
  private static final int COLUMNS = 8;

  private ConvKernels() {}

  /** conv_forward_v1: one work-item per output element. */
  static void forwardDirect(ClOps ops, Launch l, ConvCall c, Settings s) {
    ConvGeometry g = c.geometry();
    forwardArgs(ops, l, c);
    l.spatial((long) g.outH() * g.outW(), g.k(), g.n(), group(s), () -> "convForward " + g);
  }

  /** conv_forward_v2: CONV_KB filters x 8 columns per work-item. */
  static void forwardBlocked(ClOps ops, Launch l, ConvCall c, Settings s) {
    ConvGeometry g = c.geometry();
    forwardArgs(ops, l, c);
    long columnBlocks = blocks(g.outW(), COLUMNS);
    long filterBlocks = blocks(g.filtersPerGroup(), s.get(ClImplementations.FILTERS_PER_ITEM));
    l.spatial(
        g.outH() * columnBlocks,
        g.groups() * filterBlocks,
        g.n(),
        group(s),
        () -> "convForward " + g);
  }

  private static void forwardArgs(ClOps ops, Launch l, ConvCall c) {
    l.args().tensor(ops.cl(c.first())).tensor(ops.cl(c.second()));
    l.args().mem(c.bias() == null ? ops.dummy() : ops.cl(c.bias()).buffer()).bool(c.bias() != null);
    l.args().epilogue(c.epilogue()).tensor(ops.cl(c.out()));
    GeometryArgs.conv(l.args(), c.geometry());
  }

  /** conv_backward_input_v1: one work-item per input element. */
  static void inputDirect(ClOps ops, Launch l, ConvCall c, Settings s) {
    ConvGeometry g = c.geometry();
    inputArgs(ops, l, c);
    l.spatial((long) g.h() * g.w(), g.c(), g.n(), group(s), () -> "convBackwardInput " + g);
  }

  /** conv_backward_input_v3: CONV_CB channels x 8 columns of one stride phase per work-item. */
  static void inputPhased(ClOps ops, Launch l, ConvCall c, Settings s) {
    ConvGeometry g = c.geometry();
    inputArgs(ops, l, c);
    long channelBlocks = blocks(g.channelsPerGroup(), s.get(ClImplementations.CHANNELS_PER_ITEM));
    int stride = g.params().strideW();
    long perPhase = blocks(blocks(g.w(), stride), COLUMNS);
    l.spatial(
        (long) g.h() * stride * perPhase,
        g.groups() * channelBlocks,
        g.n(),
        group(s),
        () -> "convBackwardInput " + g);
  }

  private static void inputArgs(ClOps ops, Launch l, ConvCall c) {
    l.args().tensor(ops.cl(c.first())).tensor(ops.cl(c.second())).tensor(ops.cl(c.out()));
    GeometryArgs.conv(l.args(), c.geometry());
  }

  /** conv_backward_filter_partial_v1: chunks of single (n, oh, ow) terms, then the reduction. */
  static void filterDirect(ClOps ops, Launch l, ConvCall c, Settings s) {
    ConvGeometry g = c.geometry();
    int units = g.n() * g.outH() * g.outW();
    filterPasses(ops, l, c, units, MIN_CHUNK, g.weightShape().size(), s);
  }

  /** conv_backward_filter_partial_v2: CONV_KB filters per work-item over chunks of whole rows. */
  static void filterBlocked(ClOps ops, Launch l, ConvCall c, Settings s) {
    ConvGeometry g = c.geometry();
    int units = g.n() * g.outH();
    int minUnits = (MIN_CHUNK + g.outW() - 1) / g.outW();
    long filterBlocks = blocks(g.filtersPerGroup(), s.get(ClImplementations.FILTERS_PER_ITEM));
    long items = g.groups() * filterBlocks * (g.weightShape().size() / g.k());
    filterPasses(ops, l, c, units, minUnits, items, s);
  }

  /**
   * The first pass (kernel {@code l}: one partial sum per chunk of {@code units} and weight, over
   * {@code items} work-items per chunk) into a scratch buffer, then the fixed-order reduction.
   */
  private static void filterPasses(
      ClOps ops, Launch l, ConvCall c, int units, int minUnits, long items, Settings s) {
    ConvGeometry g = c.geometry();
    int weightCount = g.weightShape().size();
    int chunkLen = chunkLength(units, weightCount, minUnits);
    int chunks = Chunks.count(units, chunkLen);
    try (ClTensor partial =
        ops.temp(Shape.of(chunks, weightCount), () -> "convBackwardFilter partial sums " + g)) {
      l.args().tensor(ops.cl(c.first())).tensor(ops.cl(c.second())).tensor(partial).i(chunkLen);
      GeometryArgs.conv(l.args(), g);
      l.spatial(items, chunks, 1, group(s), () -> "convBackwardFilter " + g);
      reduceChunks(ops, partial, ops.cl(c.out()), weightCount, chunks, "convBackwardFilter " + g);
    }
  }

  /** gradOutput [N][K][P...] summed over everything but K. */
  static void biasBackward(ClOps ops, Tensor gradOutput, Tensor gradBias) {
    Shape s = gradOutput.shape();
    int n = s.dim(0);
    int k = s.dim(1);
    int p = s.size() / (n * k);
    int total = n * p;
    int chunkLen = chunkLength(total, k, MIN_CHUNK);
    int chunks = Chunks.count(total, chunkLen);
    try (ClTensor partial = ops.temp(Shape.of(chunks, k), () -> "biasBackward partial sums " + s)) {
      Launch l = ops.launch("conv_backward_filter.cl", "bias_backward_partial_v1");
      l.args().tensor(ops.cl(gradOutput)).tensor(partial).i(n).i(k).i(p).i(chunkLen);
      l.spatial(k, chunks, 1, () -> "biasBackward gradOutput " + s);
      reduceChunks(ops, partial, ops.cl(gradBias), k, chunks, "biasBackward gradOutput " + s);
    }
  }

  /**
   * The second pass of every chunked gradient: {@code out[i] = sum_j partial[j][i]}, j ascending.
   */
  static void reduceChunks(
      ClOps ops, ClTensor partial, ClTensor out, int len, int chunks, String what) {
    Launch l = ops.launch("reduce.cl", "reduce_chunks_v1");
    l.args().tensor(partial).tensor(out).i(len).i(chunks);
    l.linear(len, () -> what + " (chunk reduction)");
  }

  private static long blocks(long n, long per) {
    return (n + per - 1) / per;
  }

  private static int group(Settings s) {
    return s.get(ClConvKernel.WORK_GROUP);
  }

  /**
   * Terms per partial sum: enough chunks to keep the device busy when there are few outputs, few
   * enough that the partial buffer stays small. Depends only on the shapes, so results are the same
   * on every run.
   */
  static int chunkLength(int total, int outputs, int minPerChunk) {
    int chunks = Math.min(MAX_CHUNKS, Math.max(1, total / minPerChunk));
    chunks = Math.max(1, Math.min(chunks, MAX_PARTIAL_FLOATS / Math.max(1, outputs)));
    return Chunks.count(total, chunks);
  }
}
