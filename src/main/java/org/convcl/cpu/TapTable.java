package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;

/**
 * Per filter tap {@code j = (ci*R + r)*S + s} of a geometry, what {@link Im2colWalk} needs, decoded
 * once per geometry instead of once per walk (the divisions cost more than a short walk): the
 * channel's plane offset {@code ci*H*W}, the input row of window row 0 {@code r*dilationH -
 * padTop}, the input column of window column 0 {@code s*dilationW - padLeft}, the window columns
 * {@code [lo, hi)} whose input column is real, and the cell's offset within an interior window.
 * Immutable; cached per geometry by {@link CpuGemm#taps}.
 */
final class TapTable {
  private static final int FIELDS = 6;
  private final int[] t;

  private TapTable(int[] t) {
    this.t = t;
  }

  static TapTable of(ConvGeometry g) {
    ConvParams p = g.params();
    int taps = g.channelsPerGroup() * p.kernelH() * p.kernelW();
    int[] t = new int[taps * FIELDS];
    int sw = p.strideW();
    for (int j = 0; j < taps; j++) {
      int s = j % p.kernelW();
      int r = j / p.kernelW() % p.kernelH();
      int ci = j / (p.kernelW() * p.kernelH());
      int iw0 = s * p.dilationW() - p.padding().left();
      int lo = iw0 >= 0 ? 0 : Math.min(g.outW(), (-iw0 + sw - 1) / sw);
      int hi = g.w() - iw0 <= 0 ? 0 : Math.min(g.outW(), (g.w() - iw0 - 1) / sw + 1);
      t[j * FIELDS] = ci * g.h() * g.w();
      t[j * FIELDS + 1] = r * p.dilationH() - p.padding().top();
      t[j * FIELDS + 2] = iw0;
      t[j * FIELDS + 3] = lo;
      t[j * FIELDS + 4] = Math.max(lo, hi);
      t[j * FIELDS + 5] = ci * g.h() * g.w() + r * p.dilationH() * g.w() + s * p.dilationW();
    }
    return new TapTable(t);
  }

  int plane(int j) {
    return t[j * FIELDS];
  }

  int row0(int j) {
    return t[j * FIELDS + 1];
  }

  int column0(int j) {
    return t[j * FIELDS + 2];
  }

  int lo(int j) {
    return t[j * FIELDS + 3];
  }

  int hi(int j) {
    return t[j * FIELDS + 4];
  }

  /**
   * The offset of tap j's input cell from the window's corner cell {@code (oh*strideH - padTop,
   * ow*strideW - padLeft)} of channel 0, for windows that lie wholly inside the input.
   */
  int offset(int j) {
    return t[j * FIELDS + 5];
  }
}
