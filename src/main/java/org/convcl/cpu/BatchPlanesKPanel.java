package org.convcl.cpu;

/**
 * Planes of a batch of images with the images laid end to end along t: {@code v(t, x) = data[base +
 * (firstImage + t / plane) * imageStride + x * plane + t % plane]}. The gradient of the output
 * {@code [N][K][P]} read this way is the A operand of the filter gradient ({@code x} = filter,
 * {@code t} = (image, window)); the input of a 1x1 convolution is the B operand of its filter
 * gradient ({@code x} = channel).
 */
record BatchPlanesKPanel(float[] data, int base, int imageStride, int plane, int firstImage)
    implements KPanel {
  @Override
  public void pack(float[] dst, int off, int t0, int kc, int x0, int width, int panel) {
    for (int x = 0; x < width; x++) {
      for (int t = t0; t < t0 + kc; ) {
        int p = t % plane;
        int run = Math.min(plane - p, t0 + kc - t);
        int src = base + (firstImage + t / plane) * imageStride + (x0 + x) * plane + p;
        int d = off + (t - t0) * panel + x;
        for (int i = 0; i < run; i++) {
          dst[d + i * panel] = data[src + i];
        }
        t += run;
      }
    }
    KPanel.zeroTail(dst, off, kc, width, panel);
  }
}
