package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * The transposed im2col matrix of a run of images (one group) as the B operand of the filter
 * gradient: {@code v(t, x)} = the input that window {@code t % P} of image {@code firstImage + t /
 * P} reads through filter tap x (P = outH*outW windows per image), gathered by {@link Im2colWalk}.
 */
record WindowRowsKPanel(ConvGeometry g, TapTable taps, float[] input, int firstImage, int group)
    implements KPanel {
  /**
   * Tap by tap (one column x of the packed panel at a time), each over the panel's windows of one
   * image in one {@link Im2colWalk#gather}: the reads run along an input row and the padding is
   * decided once per row of windows, not per element. (Window by window, with a tap-table lookup
   * per element and the padding test per window, this pack took ~40 % of the filter gradient of
   * 32x64x56x56 -> 64 k3.)
   */
  @Override
  public void pack(float[] dst, int off, int t0, int kc, int x0, int width, int panel) {
    int windows = g.outH() * g.outW();
    int imageSize = g.c() * g.h() * g.w();
    int groupOffset = group * g.channelsPerGroup() * g.h() * g.w();
    for (int t = t0; t < t0 + kc; ) {
      int image = firstImage + t / windows;
      int p = t % windows;
      int run = Math.min(windows - p, t0 + kc - t);
      int planes = image * imageSize + groupOffset;
      int d = off + (t - t0) * panel;
      int x = 0;
      for (; x + 4 <= width; x += 4) {
        Im2colWalk.gather4(g, taps, input, planes, x0 + x, p, run, dst, d + x, panel);
      }
      for (; x < width; x++) {
        Im2colWalk.gather(g, taps, input, planes, x0 + x, p, run, dst, d + x, panel);
      }
      t += run;
    }
    KPanel.zeroTail(dst, off, kc, width, panel);
  }
}
