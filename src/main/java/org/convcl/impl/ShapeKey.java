package org.convcl.impl;

import java.util.Locale;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;

/**
 * How a choice table names a convolution's shape: everything but the batch size, e.g. {@code c20
 * h12 w12 k50 r5x5 st1x1 p0,0,0,0 d1x1 g1}. The batch is left out on purpose: a layer tuned at
 * batch 64 keeps its choice at inference batch 1 (the best kernel moves little with N, and a table
 * entry per batch size would rarely be hit). {@code *} matches every shape.
 */
public final class ShapeKey {
  /** The key that matches every shape. */
  public static final String ANY = "*";

  private ShapeKey() {}

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
