package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;

/**
 * The transposed im2col matrix of a run of images (one group) as the B operand of the filter
 * gradient: {@code v(t, x)} = the input that window {@code t % P} of image {@code firstImage + t /
 * P} reads through filter tap x (P = outH*outW windows per image), gathered by {@link Im2colWalk}.
 */
record WindowRowsKPanel(ConvGeometry g, TapTable taps, float[] input, int firstImage, int group)
    implements KPanel {
  @Override
  public void pack(float[] dst, int off, int t0, int kc, int x0, int width, int panel) {
    int windows = g.outH() * g.outW();
    int imageSize = g.c() * g.h() * g.w();
    int groupOffset = group * g.channelsPerGroup() * g.h() * g.w();
    for (int x = 0; x < width; x++) {
      for (int t = t0; t < t0 + kc; ) {
        int image = firstImage + t / windows;
        int p = t % windows;
        int run = Math.min(windows - p, t0 + kc - t);
        int planes = image * imageSize + groupOffset;
        Im2colWalk.gather(
            g, taps, input, planes, x0 + x, p, run, dst, off + (t - t0) * panel + x, panel);
        t += run;
      }
    }
    KPanel.zeroTail(dst, off, kc, width, panel);
  }
}
