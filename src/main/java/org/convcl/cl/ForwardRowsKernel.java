package org.convcl.cl;

import org.convcl.impl.ConvCall;
import org.convcl.impl.Settings;
import org.convcl.impl.Tunable;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Shape;

/**
 * opencl/conv_forward_rows.cl: the forward pass for column stride 1 and few input channels. The
 * launcher widens each input row with zeros (elementwise.cl pad_columns_v2, as {@link
 * InputRowsKernel} does for gradOutput) into a scratch buffer, so the kernel's taps read whole
 * vectors without bounds tests, then runs one work-item per {@code FR_COLS} output columns and
 * {@code FR_KB} filters; the bias and the call's epilogue are applied as it stores.
 */
final class ForwardRowsKernel {
  static final String FILE = "conv_forward_rows.cl";
  static final String NAME = "conv_forward_rows_v1";

  /** Adjacent output columns per work-item: the width of one OpenCL vector. */
  static final Tunable COLUMNS = Tunable.of("FR_COLS", 16, 4, 8, 16);

  /** Filters per work-item (each tap's input vector serves them all). */
  static final Tunable FILTERS = Tunable.of("FR_KB", 2, 1, 2, 4, 8, 16);

  private ForwardRowsKernel() {}

  static String whyNot(ClDeviceInfo device, ConvGeometry g, Settings s) {
    ConvParams p = g.params();
    if (p.strideW() != 1) {
      return NAME + " handles column stride 1 only, not " + p.strideW();
    }
    String local =
        device.whyLocalMemoryFails("the filters of one filter block", 4L * filterFloats(g, s));
    return local == null ? null : NAME + ": " + local;
  }

  /** The local buffer: FR_KB filters of the group, {@code [C/groups][R][S][FR_KB]}. */
  private static long filterFloats(ConvGeometry g, Settings s) {
    ConvParams p = g.params();
    return (long) g.channelsPerGroup() * p.kernelH() * p.kernelW() * s.get(FILTERS);
  }

  /** inPad's row width: every column a tap reads lies inside it (see the kernel's header). */
  static int paddedWidth(ConvGeometry g, int columns) {
    ConvParams p = g.params();
    int rounded = (g.outW() + columns - 1) / columns * columns;
    return rounded + (p.kernelW() - 1) * p.dilationW();
  }

  static void launch(ClOps ops, Launch l, ConvCall c, Settings s) {
    ConvGeometry g = c.geometry();
    int columns = s.get(COLUMNS);
    int padW = paddedWidth(g, columns);
    long rows = (long) g.n() * g.c() * g.h();
    try (ClTensor inPad =
        ops.temp(Shape.of(g.n(), g.c(), g.h(), padW), () -> "convForward widened input " + g)) {
      InputRowsKernel.padColumns(
          ops, ops.cl(c.first()), inPad, rows, g.w(), padW, g.params().padding().left());
      l.args().tensor(inPad).tensor(ops.cl(c.second()));
      l.args()
          .mem(c.bias() == null ? ops.dummy() : ops.cl(c.bias()).buffer())
          .bool(c.bias() != null);
      l.args().epilogue(c.epilogue()).tensor(ops.cl(c.out()));
      l.args().local(4L * filterFloats(g, s)).i(padW);
      GeometryArgs.conv(l.args(), g);
      long blocks = (g.outW() + columns - 1) / columns;
      long filterBlocks = (g.filtersPerGroup() + s.get(FILTERS) - 1) / s.get(FILTERS);
      l.spatial(
          g.outH() * blocks,
          g.groups() * filterBlocks,
          g.n(),
          s.get(ClConvKernel.WORK_GROUP),
          () -> "convForward " + g);
    }
  }
}
