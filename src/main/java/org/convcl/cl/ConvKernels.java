package org.convcl.cl;

import java.util.function.Supplier;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/** Launchers of opencl/conv_*.cl and the deterministic two-pass reductions of the gradients. */
final class ConvKernels {
  /** Aim for at least this many terms per partial sum of a gradient reduction. */
  private static final int MIN_CHUNK = 32;

  /** At most this many partial sums per gradient element. */
  private static final int MAX_CHUNKS = 64;

  /** Cap on the partial-sum buffer, in floats (32 MiB), so big filters use fewer chunks. */
  private static final int MAX_PARTIAL_FLOATS = 1 << 23;

  /** Filters (or channels) per work-item of the v2 kernels: CONV_KB/CONV_CB's default. */
  static final int V2_BLOCK = 8;

  /** Columns per work-item of the v2 kernels (one float8). */
  private static final int V2_COLUMNS = 8;

  /** The versions of opencl/conv_forward.cl; every one is run by the differential tests. */
  enum ForwardVariant {
    /** One work-item per output element. */
    V1_DIRECT("conv_forward_v1"),
    /** CONV_KB filters x 8 columns per work-item, register-blocked; the default. */
    V2_BLOCKED("conv_forward_v2");

    final String kernel;

    ForwardVariant(String kernel) {
      this.kernel = kernel;
    }
  }

  /** The versions of opencl/conv_backward_input.cl. */
  enum InputVariant {
    /** One work-item per input element. */
    V1_DIRECT("conv_backward_input_v1"),
    /** CONV_CB channels x 8 adjacent columns per work-item. */
    V2_BLOCKED("conv_backward_input_v2"),
    /** CONV_CB channels x 8 columns of one phase modulo the stride; the default. */
    V3_PHASED("conv_backward_input_v3");

    final String kernel;

    InputVariant(String kernel) {
      this.kernel = kernel;
    }
  }

  /** The versions of the first pass of opencl/conv_backward_filter.cl. */
  enum FilterVariant {
    /** One work-item per weight element and chunk of (n, oh, ow) terms. */
    V1_DIRECT("conv_backward_filter_partial_v1"),
    /** CONV_KB filters per work-item, chunks of whole rows, 8 columns at a time; the default. */
    V2_BLOCKED("conv_backward_filter_partial_v2");

    final String kernel;

    FilterVariant(String kernel) {
      this.kernel = kernel;
    }
  }

  private final ClOps ops;

  ConvKernels(ClOps ops) {
    this.ops = ops;
  }

  void forward(Tensor input, Tensor weights, Tensor bias, Tensor output, ConvGeometry g) {
    forward(ForwardVariant.V2_BLOCKED, input, weights, bias, output, g);
  }

  void forward(
      ForwardVariant v, Tensor input, Tensor weights, Tensor bias, Tensor output, ConvGeometry g) {
    Launch l = ops.launch("conv_forward.cl", v.kernel);
    l.args().tensor(ops.cl(input)).tensor(ops.cl(weights));
    l.args().mem(bias == null ? ops.dummy() : ops.cl(bias).buffer()).bool(bias != null);
    l.args().tensor(ops.cl(output));
    GeometryArgs.conv(l.args(), g);
    if (v == ForwardVariant.V1_DIRECT) {
      l.spatial((long) g.outH() * g.outW(), g.k(), g.n(), () -> "convForward " + g);
    } else {
      long columnBlocks = (g.outW() + V2_COLUMNS - 1) / V2_COLUMNS;
      long filterBlocks = (g.filtersPerGroup() + V2_BLOCK - 1) / V2_BLOCK;
      l.spatial(
          g.outH() * columnBlocks, g.groups() * filterBlocks, g.n(), () -> "convForward " + g);
    }
  }

  void backwardInput(Tensor gradOutput, Tensor weights, Tensor gradInput, ConvGeometry g) {
    backwardInput(InputVariant.V3_PHASED, gradOutput, weights, gradInput, g);
  }

  void backwardInput(
      InputVariant v, Tensor gradOutput, Tensor weights, Tensor gradInput, ConvGeometry g) {
    Launch l = ops.launch("conv_backward_input.cl", v.kernel);
    l.args().tensor(ops.cl(gradOutput)).tensor(ops.cl(weights)).tensor(ops.cl(gradInput));
    GeometryArgs.conv(l.args(), g);
    long channelBlocks = (g.channelsPerGroup() + V2_BLOCK - 1) / V2_BLOCK;
    Supplier<String> what = () -> "convBackwardInput " + g;
    switch (v) {
      case V1_DIRECT -> l.spatial((long) g.h() * g.w(), g.c(), g.n(), what);
      case V2_BLOCKED -> {
        long columnBlocks = (g.w() + V2_COLUMNS - 1) / V2_COLUMNS;
        l.spatial(g.h() * columnBlocks, g.groups() * channelBlocks, g.n(), what);
      }
      case V3_PHASED -> {
        int stride = g.params().strideW();
        long perPhase = ((g.w() + stride - 1) / stride + V2_COLUMNS - 1) / V2_COLUMNS;
        l.spatial((long) g.h() * stride * perPhase, g.groups() * channelBlocks, g.n(), what);
      }
    }
  }

  void backwardFilter(Tensor input, Tensor gradOutput, Tensor gradWeights, ConvGeometry g) {
    backwardFilter(FilterVariant.V2_BLOCKED, input, gradOutput, gradWeights, g);
  }

  void backwardFilter(
      FilterVariant v, Tensor input, Tensor gradOutput, Tensor gradWeights, ConvGeometry g) {
    int weightCount = g.weightShape().size();
    boolean rows = v == FilterVariant.V2_BLOCKED;
    // v1 chunks single (n, oh, ow) terms; v2 chunks whole rows (n, oh) of outW terms each.
    int units = rows ? g.n() * g.outH() : g.n() * g.outH() * g.outW();
    int minUnits = rows ? (MIN_CHUNK + g.outW() - 1) / g.outW() : MIN_CHUNK;
    int chunkLen = chunkLength(units, weightCount, minUnits);
    int chunks = Chunks.count(units, chunkLen);
    try (ClTensor partial =
        ops.temp(Shape.of(chunks, weightCount), () -> "convBackwardFilter partial sums " + g)) {
      Launch l = ops.launch("conv_backward_filter.cl", v.kernel);
      l.args().tensor(ops.cl(input)).tensor(ops.cl(gradOutput)).tensor(partial).i(chunkLen);
      GeometryArgs.conv(l.args(), g);
      long items = rows ? g.groups() * filterBlocks(g) * (weightCount / g.k()) : weightCount;
      l.spatial(items, chunks, 1, () -> "convBackwardFilter " + g);
      reduceChunks(partial, ops.cl(gradWeights), weightCount, chunks, "convBackwardFilter " + g);
    }
  }

  /** Blocks of V2_BLOCK (CONV_KB) filters per group. */
  private static long filterBlocks(ConvGeometry g) {
    return (g.filtersPerGroup() + V2_BLOCK - 1) / V2_BLOCK;
  }

  /** gradOutput [N][K][P...] summed over everything but K. */
  void biasBackward(Tensor gradOutput, Tensor gradBias) {
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
      reduceChunks(partial, ops.cl(gradBias), k, chunks, "biasBackward gradOutput " + s);
    }
  }

  private void reduceChunks(ClTensor partial, ClTensor out, int len, int chunks, String what) {
    Launch l = ops.launch("reduce.cl", "reduce_chunks_v1");
    l.args().tensor(partial).tensor(out).i(len).i(chunks);
    l.linear(len, () -> what + " (chunk reduction)");
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
