package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * The im2col matrix of one (image, group) as the B operand of the forward product, packed straight
 * from the image: {@code v(t, x)} = the input read by filter tap t in window x ({@link
 * Im2colWalk}). No unrolled matrix is stored; each packed slice holds kc taps of nr windows.
 */
record Im2colKPanel(ConvGeometry g, TapTable taps, float[] input, int planes) implements KPanel {
  @Override
  public void pack(float[] dst, int off, int t0, int kc, int x0, int width, int panel) {
    for (int t = 0; t < kc; t++) {
      Im2colWalk.gather(g, taps, input, planes, t0 + t, x0, width, dst, off + t * panel, 1);
    }
    KPanel.zeroTail(dst, off, kc, width, panel);
  }

  /** One walk per tap over all the block's windows (not one per panel: the set-up dominated). */
  @Override
  public void packBlock(float[] dst, int off, int t0, int kc, int x0, int width, int panel) {
    for (int t = 0; t < kc; t++) {
      Im2colWalk.gatherPanels(g, taps, input, planes, t0 + t, x0, width, dst, off, t, kc, panel);
    }
    int tail = width % panel;
    if (tail != 0) {
      KPanel.zeroTail(dst, off + width / panel * panel * kc, kc, tail, panel);
    }
  }
}
