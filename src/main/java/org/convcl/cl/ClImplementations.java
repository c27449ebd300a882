package org.convcl.cl;

import java.util.List;
import java.util.Set;
import org.convcl.impl.Implementation;
import org.convcl.impl.Pass;
import org.convcl.impl.Tunable;

/**
 * Every OpenCL implementation of the passes that have several, in one list: the one place a new
 * kernel variant is registered. Order matters only where no choice table entry applies: the first
 * that applies at its defaults runs. The contract suite and the tuner read this list, so a variant
 * registered here is tested and timed with no other edit.
 */
final class ClImplementations {
  /** Filters per work-item of the register-blocked forward and filter-gradient kernels. */
  static final Tunable FILTERS_PER_ITEM = Tunable.of("CONV_KB", 8, 1, 2, 4, 8, 16);

  /** Input channels per work-item of the register-blocked input-gradient kernel. */
  static final Tunable CHANNELS_PER_ITEM = Tunable.of("CONV_CB", 8, 1, 2, 4, 8, 16);

  private static final Tunable WG = ClConvKernel.WORK_GROUP;

  private ClImplementations() {}

  /** A fresh list for one backend instance. */
  static List<Implementation<ClOps>> all() {
    return List.of(
        new ClConvKernel(
            Pass.CONV_FORWARD,
            "conv_forward.cl",
            "conv_forward_v2",
            "CONV_KB filters x 8 output columns per work-item, float8 accumulators",
            List.of(FILTERS_PER_ITEM, WG),
            Set.of(FILTERS_PER_ITEM.name()),
            (d, g, s) -> null,
            ConvKernels::forwardBlocked,
            true),
        new ClConvKernel(
            Pass.CONV_FORWARD,
            ForwardRowsKernel.FILE,
            ForwardRowsKernel.NAME,
            "column stride 1: FR_COLS columns x FR_KB filters per work-item over zero-widened input"
                + " rows, filters in local memory",
            List.of(ForwardRowsKernel.COLUMNS, ForwardRowsKernel.FILTERS, WG),
            Set.of(ForwardRowsKernel.COLUMNS.name(), ForwardRowsKernel.FILTERS.name()),
            ForwardRowsKernel::whyNot,
            ForwardRowsKernel::launch,
            true),
        new ClConvKernel(
            Pass.CONV_FORWARD,
            "conv_forward.cl",
            "conv_forward_v1",
            "one work-item per output element, direct loops",
            List.of(WG),
            Set.of(),
            (d, g, s) -> null,
            ConvKernels::forwardDirect,
            true),
        new ClConvKernel(
            Pass.CONV_BACKWARD_INPUT,
            "conv_backward_input.cl",
            "conv_backward_input_v3",
            "CONV_CB channels x 8 input columns of one stride phase per work-item",
            List.of(CHANNELS_PER_ITEM, WG),
            Set.of(CHANNELS_PER_ITEM.name()),
            (d, g, s) -> null,
            ConvKernels::inputPhased),
        new ClConvKernel(
            Pass.CONV_BACKWARD_INPUT,
            InputRowsKernel.FILE,
            InputRowsKernel.NAME,
            "stride 1: BI_COLS columns x BI_CB channels per work-item over zero-widened gradOutput"
                + " rows, filters in local memory",
            List.of(InputRowsKernel.COLUMNS, InputRowsKernel.CHANNELS, WG),
            Set.of(InputRowsKernel.COLUMNS.name(), InputRowsKernel.CHANNELS.name()),
            InputRowsKernel::whyNot,
            InputRowsKernel::launch),
        new ClConvKernel(
            Pass.CONV_BACKWARD_INPUT,
            InputRowsKernel.FILE,
            InputRowsKernel.NAME_ANY_STRIDE,
            "any stride: BI_COLS columns of one stride phase x BI_CB channels per work-item over"
                + " zero-widened gradOutput rows, only the taps that reach the phase, filters in"
                + " local memory",
            List.of(InputRowsKernel.COLUMNS, InputRowsKernel.CHANNELS, WG),
            Set.of(InputRowsKernel.COLUMNS.name(), InputRowsKernel.CHANNELS.name()),
            InputRowsKernel::whyNotAnyStride,
            InputRowsKernel::launch),
        new ClConvKernel(
            Pass.CONV_BACKWARD_INPUT,
            "conv_backward_input.cl",
            "conv_backward_input_v1",
            "one work-item per input element gathers every window that reads it",
            List.of(WG),
            Set.of(),
            (d, g, s) -> null,
            ConvKernels::inputDirect),
        new ClConvKernel(
            Pass.CONV_BACKWARD_FILTER,
            "conv_backward_filter.cl",
            "conv_backward_filter_partial_v2",
            "CONV_KB filters per work-item over chunks of whole rows, then a fixed-order reduction",
            List.of(FILTERS_PER_ITEM, WG),
            Set.of(FILTERS_PER_ITEM.name()),
            (d, g, s) -> null,
            ConvKernels::filterBlocked),
        new ClConvKernel(
            Pass.CONV_BACKWARD_FILTER,
            "conv_backward_filter.cl",
            "conv_backward_filter_partial_v1",
            "one work-item per weight and chunk of (n, oh, ow) terms, then a fixed-order reduction",
            List.of(WG),
            Set.of(),
            (d, g, s) -> null,
            ConvKernels::filterDirect),
        new ClGemmKernel(Pass.CONV_FORWARD, ConvGemmKernels.Pass.FORWARD, "conv_igemm_forward_v1"),
        new ClGemmKernel(
            Pass.CONV_BACKWARD_INPUT,
            ConvGemmKernels.Pass.BACKWARD_INPUT,
            "conv_igemm_backward_input_v1"),
        new ClGemmKernel(
            Pass.CONV_BACKWARD_FILTER,
            ConvGemmKernels.Pass.BACKWARD_FILTER,
            "conv_igemm_backward_filter_v1"),
        denseTiled(Pass.CONV_FORWARD),
        denseTiled(Pass.CONV_BACKWARD_INPUT),
        denseTiled(Pass.CONV_BACKWARD_FILTER),
        denseBlocked(Pass.CONV_FORWARD),
        denseBlocked(Pass.CONV_BACKWARD_INPUT),
        denseBlocked(Pass.CONV_BACKWARD_FILTER));
  }

  /** opencl/dense.cl's tiled GEMM for one pass of a pointwise (dense-layer) convolution. */
  private static ClConvKernel denseTiled(Pass pass) {
    return new ClConvKernel(
        pass,
        "dense.cl",
        "dense_gemm_v1",
        "GEMM_TILE x GEMM_TILE tiles of both operands in local memory (pointwise shapes only)",
        List.of(DenseKernels.TILE),
        Set.of(DenseKernels.TILE.name()),
        DenseKernels::whyNot,
        DenseKernels::tiled);
  }

  /** opencl/dense.cl's register-blocked GEMM, likewise. */
  private static ClConvKernel denseBlocked(Pass pass) {
    return new ClConvKernel(
        pass,
        "dense.cl",
        "dense_gemm_v2",
        "GEMM_RM x GEMM_RN outputs per work-item, no local memory (pointwise shapes only)",
        List.of(DenseKernels.ROWS, DenseKernels.COLUMNS, WG),
        Set.of(DenseKernels.ROWS.name(), DenseKernels.COLUMNS.name()),
        DenseKernels::whyNot,
        DenseKernels::blocked);
  }
}
