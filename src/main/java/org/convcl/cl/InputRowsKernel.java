package org.convcl.cl;

import org.convcl.impl.ConvCall;
import org.convcl.impl.Settings;
import org.convcl.impl.Tunable;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Shape;

/**
 * opencl/conv_backward_input_rows.cl: the input gradient for layers with few input channels, v1 for
 * stride 1, v2 for any stride (the columns of a work-item share one stride phase). The launcher
 * widens each gradOutput row with zeros (elementwise.cl pad_columns_v2) into a scratch buffer, so
 * the kernel's taps read whole vectors without bounds tests, then runs one work-item per {@code
 * BI_COLS} input columns (of one phase) and {@code BI_CB} channels. For stride 1 both versions take
 * the same scratch buffer and range.
 */
final class InputRowsKernel {
  static final String FILE = "conv_backward_input_rows.cl";
  static final String NAME = "conv_backward_input_rows_v1";
  static final String NAME_ANY_STRIDE = "conv_backward_input_rows_v2";

  /** Adjacent input columns per work-item: the width of one OpenCL vector. */
  static final Tunable COLUMNS = Tunable.of("BI_COLS", 8, 4, 8, 16);

  /** Input channels per work-item (each tap's gradOutput vector serves them all). */
  static final Tunable CHANNELS = Tunable.of("BI_CB", 1, 1, 2, 3, 4, 8, 16);

  private InputRowsKernel() {}

  /** v1's limits: stride 1, and v2's. */
  static String whyNot(ClDeviceInfo device, ConvGeometry g, Settings s) {
    ConvParams p = g.params();
    if (p.strideH() != 1 || p.strideW() != 1) {
      return NAME + " handles stride 1 only, not " + p.strideH() + "x" + p.strideW();
    }
    return whyNotLocal(NAME, device, g, s);
  }

  /** v2's limit: the filters of one channel block must fit in local memory. */
  static String whyNotAnyStride(ClDeviceInfo device, ConvGeometry g, Settings s) {
    return whyNotLocal(NAME_ANY_STRIDE, device, g, s);
  }

  private static String whyNotLocal(String name, ClDeviceInfo device, ConvGeometry g, Settings s) {
    String local =
        device.whyLocalMemoryFails("the filters of one channel block", 4L * filterFloats(g, s));
    return local == null ? null : name + ": " + local;
  }

  /**
   * The local buffer: the group's filters for BI_CB channels ({@code [K/groups][BI_CB][R][S]} in
   * v1, {@code [R][S][K/groups][BI_CB]} in v2).
   */
  private static long filterFloats(ConvGeometry g, Settings s) {
    ConvParams p = g.params();
    return (long) g.filtersPerGroup() * s.get(CHANNELS) * p.kernelH() * p.kernelW();
  }

  /**
   * gradPad's row width: every column a tap reads lies inside it (see the kernel's header; for
   * stride 1, {@code roundUp(W, columns) + padLeft + (S-1)*dilationW}).
   */
  static int paddedWidth(ConvGeometry g, int columns) {
    ConvParams p = g.params();
    int stride = p.strideW();
    return leftZeros(g) + (stride - 1 + p.padding().left()) / stride + columns * blocks(g, columns);
  }

  /** Column blocks per stride phase of a row: {@code ceil(ceil(W/strideW)/columns)}. */
  private static int blocks(ConvGeometry g, int columns) {
    int stride = g.params().strideW();
    return ((g.w() + stride - 1) / stride + columns - 1) / columns;
  }

  static void launch(ClOps ops, Launch l, ConvCall c, Settings s) {
    ConvGeometry g = c.geometry();
    int columns = s.get(COLUMNS);
    int padW = paddedWidth(g, columns);
    long rows = (long) g.n() * g.k() * g.outH();
    try (ClTensor gradPad =
        ops.temp(
            Shape.of(g.n(), g.k(), g.outH(), padW),
            () -> "convBackwardInput widened gradOutput " + g)) {
      padColumns(ops, ops.cl(c.first()), gradPad, rows, g.outW(), padW, leftZeros(g));
      l.args().tensor(gradPad).tensor(ops.cl(c.second())).tensor(ops.cl(c.out()));
      l.args().local(4L * filterFloats(g, s)).i(padW);
      GeometryArgs.conv(l.args(), g);
      long perRow = (long) g.params().strideW() * blocks(g, columns);
      long channelBlocks = (g.channelsPerGroup() + s.get(CHANNELS) - 1) / s.get(CHANNELS);
      l.spatial(
          g.h() * perRow,
          g.groups() * channelBlocks,
          g.n(),
          s.get(ClConvKernel.WORK_GROUP),
          () -> "convBackwardInput " + g);
    }
  }

  /**
   * Zero columns before each gradOutput row in gradPad: the reach of the leftmost tap, in
   * gradOutput columns ({@code floor((S-1)*dilationW/strideW)}).
   */
  private static int leftZeros(ConvGeometry g) {
    ConvParams p = g.params();
    return (p.kernelW() - 1) * p.dilationW() / p.strideW();
  }

  /**
   * Rows of {@code src} ({@code srcW} wide) into {@code dst} ({@code dstW} wide), {@code left} zero
   * columns before each and zeros after (elementwise.cl pad_columns_v2).
   */
  static void padColumns(
      ClOps ops, ClTensor src, ClTensor dst, long rows, int srcW, int dstW, int left) {
    Launch l = ops.launch("elementwise.cl", "pad_columns_v2");
    l.args().tensor(src).tensor(dst).i(srcW).i(dstW).i(left).i(Math.toIntExact(rows));
    l.linear(rows, () -> "pad_columns " + rows + " rows " + srcW + " -> " + dstW);
  }
}
