package org.convcl.cpu;

import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;

/**
 * The transposed im2col matrix of a run of images (one group) as the B operand of the filter
 * gradient: {@code v(t, x)} = the input that window {@code t % P} of image {@code firstImage + t /
 * P} reads through filter tap x (P = outH*outW windows per image), gathered by {@link Im2colWalk}.
 */
record WindowRowsKPanel(ConvGeometry g, TapTable taps, float[] input, int firstImage, int group)
    implements KPanel {
  /**
   * Row by row of the packed panel (one window t, the taps x contiguous), so the stores are
   * contiguous: a window wholly inside the input reads each tap at a fixed offset from its corner
   * cell ({@link TapTable#offset}); a window that reaches into the padding checks each tap.
   */
  @Override
  public void pack(float[] dst, int off, int t0, int kc, int x0, int width, int panel) {
    ConvParams p = g.params();
    int windows = g.outH() * g.outW();
    int plane = g.h() * g.w();
    int imageSize = g.c() * plane;
    int groupOffset = group * g.channelsPerGroup() * plane;
    int spanH = p.dilationH() * (p.kernelH() - 1);
    int spanW = p.dilationW() * (p.kernelW() - 1);
    int image = firstImage + t0 / windows;
    int q = t0 % windows;
    int oh = q / g.outW();
    int ow = q % g.outW();
    for (int t = 0; t < kc; t++) {
      int h0 = oh * p.strideH() - p.padding().top();
      int w0 = ow * p.strideW() - p.padding().left();
      int d = off + t * panel;
      int channels = image * imageSize + groupOffset;
      if (h0 >= 0 && h0 + spanH < g.h() && w0 >= 0 && w0 + spanW < g.w()) {
        int corner = channels + h0 * g.w() + w0;
        for (int x = 0; x < width; x++) {
          dst[d + x] = input[corner + taps.offset(x0 + x)];
        }
      } else {
        for (int x = 0; x < width; x++) {
          int j = x0 + x;
          int ih = oh * p.strideH() + taps.row0(j);
          int iw = ow * p.strideW() + taps.column0(j);
          boolean real = ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w();
          dst[d + x] = real ? input[channels + taps.plane(j) + ih * g.w() + iw] : 0f;
        }
      }
      java.util.Arrays.fill(dst, d + width, d + panel, 0f);
      if (++ow == g.outW()) {
        ow = 0;
        if (++oh == g.outH()) {
          oh = 0;
          image++;
        }
      }
    }
  }
}
