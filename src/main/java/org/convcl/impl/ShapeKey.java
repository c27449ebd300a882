package org.convcl.impl;

import java.util.Locale;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;

/**
 * How a choice table names a convolution's (or a pooling layer's) shape: everything but the batch
 * size, e.g. {@code c20 h12 w12 k50 r5x5 st1x1 p0,0,0,0 d1x1 g1}. The batch is left out on purpose:
 * a layer tuned at batch 64 keeps its choice at inference batch 1 (the best kernel moves little
 * with N, and a table entry per batch size would rarely be hit). {@code *} matches every shape.
 */
public final class ShapeKey {
  /** The key that matches every shape. */
  public static final String ANY = "*";

  /**
   * The key that matches every pointwise shape: 1x1 input and kernel, no stride, padding or groups
   * to speak of: a dense layer's products, which ClOps and CpuOps run as such convolutions.
   */
  public static final String POINTWISE = "pointwise";

  /**
   * The key that matches every depthwise shape: more than one group, one input channel per group
   * (MobileNet's 3x3 layers), where the CPU backend's direct depthwise passes beat the GEMM.
   */
  public static final String DEPTHWISE = "depthwise";

  private ShapeKey() {}

  /** Whether {@code g} is depthwise (see {@link #DEPTHWISE}). */
  public static boolean isDepthwise(ConvGeometry g) {
    return g.groups() > 1 && g.channelsPerGroup() == 1;
  }

  /** Whether {@code g} is a dense layer's product (see {@link #POINTWISE}). */
  public static boolean isPointwise(ConvGeometry g) {
    ConvParams p = g.params();
    return g.h() == 1
        && g.w() == 1
        && p.kernelH() == 1
        && p.kernelW() == 1
        && p.padding().equals(Padding.NONE)
        && p.groups() == 1;
  }

  /**
   * The class keys {@code g} also matches, most specific first: pointwise or depthwise, then any.
   */
  public static java.util.List<String> classesOf(ConvGeometry g) {
    if (isPointwise(g)) {
      return java.util.List.of(POINTWISE, ANY);
    }
    return isDepthwise(g) ? java.util.List.of(DEPTHWISE, ANY) : java.util.List.of(ANY);
  }

  /**
   * The key of a pooling layer, batch excluded as for convolutions, e.g. {@code c50 h8 w8 k2x2
   * st2x2 p0}.
   */
  public static String of(PoolGeometry g) {
    PoolParams p = g.params();
    return String.format(
        Locale.ROOT,
        "c%d h%d w%d k%dx%d st%dx%d p%s",
        g.c(),
        g.h(),
        g.w(),
        p.kernelH(),
        p.kernelW(),
        p.strideH(),
        p.strideW(),
        p.padding());
  }

  public static String of(ConvGeometry g) {
    ConvParams p = g.params();
    Padding pad = p.padding();
    return String.format(
        Locale.ROOT,
        "c%d h%d w%d k%d r%dx%d st%dx%d p%d,%d,%d,%d d%dx%d g%d",
        g.c(),
        g.h(),
        g.w(),
        g.k(),
        p.kernelH(),
        p.kernelW(),
        p.strideH(),
        p.strideW(),
        pad.top(),
        pad.bottom(),
        pad.left(),
        pad.right(),
        p.dilationH(),
        p.dilationW(),
        p.groups());
  }
}
