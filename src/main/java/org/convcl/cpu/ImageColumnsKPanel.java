package org.convcl.cpu;

/**
 * Planes of a run of images with the images laid end to end along x: {@code v(t, x) = data[base +
 * (firstImage + x / plane) * imageStride + t * plane + x % plane]}. The output gradient {@code
 * [N][K][P]} read this way is the B operand of {@code dcol = W^T * dY} for several images at once
 * ({@code t} = filter, {@code x} = (image, window)), so a product's width need not be one image's
 * window count.
 */
record ImageColumnsKPanel(float[] data, int base, int imageStride, int plane, int firstImage)
    implements KPanel {
  @Override
  public void pack(float[] dst, int off, int t0, int kc, int x0, int width, int panel) {
    for (int t = 0; t < kc; t++) {
      int row = off + t * panel;
      for (int x = x0; x < x0 + width; ) {
        int p = x % plane;
        int run = Math.min(plane - p, x0 + width - x);
        int src = base + (firstImage + x / plane) * imageStride + (t0 + t) * plane + p;
        System.arraycopy(data, src, dst, row + x - x0, run);
        x += run;
      }
    }
    KPanel.zeroTail(dst, off, kc, width, panel);
  }
}
