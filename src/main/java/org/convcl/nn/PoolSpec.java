package org.convcl.nn;

import org.convcl.tensor.PoolParams;

/** The spec suffix of a pooling layer: window, then stride and padding when not the defaults. */
final class PoolSpec {
  private PoolSpec() {}

  static String suffix(PoolParams p) {
    String s = p.kernelH() + (p.kernelH() == p.kernelW() ? "" : "x" + p.kernelW());
    if (p.strideH() != p.kernelH() || p.strideW() != p.kernelW()) {
      s += "s" + p.strideH() + (p.strideH() == p.strideW() ? "" : "x" + p.strideW());
    }
    return s + Conv2d.pair("p", p.padding().top(), p.padding().left(), 0);
  }
}
