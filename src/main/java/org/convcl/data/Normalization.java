package org.convcl.data;

import java.util.Arrays;
import org.convcl.tensor.Require;

/**
 * Per-channel standardisation {@code x = (p/255 - mean[c]) / std[c]}, with statistics measured on
 * the training set and stored in checkpoints, so evaluation and prediction see the same scale.
 *
 * @param mean the mean of every channel
 * @param std the standard deviation of every channel
 */
public record Normalization(float[] mean, float[] std) {
  /**
   * Checks the statistics and keeps copies.
   *
   * @param mean the mean of every channel, of pixels scaled to [0, 1]
   * @param std the standard deviation of every channel, positive
   */
  public Normalization {
    Require.that(mean.length == std.length, "normalization channels", std.length, "must match");
    for (float m : mean) {
      Require.that(Float.isFinite(m), "normalization mean", m, "must be finite");
    }
    for (float s : std) {
      Require.positiveFinite("normalization std", s);
    }
    mean = mean.clone();
    std = std.clone();
  }

  /**
   * The mean and standard deviation of every channel of {@code d} (pixels scaled to [0,1]).
   *
   * @param d the training set
   * @return its statistics (a deviation of at least 1e-3, so a flat channel stays finite)
   */
  public static Normalization of(Dataset d) {
    int c = d.itemShape().dim(0);
    int plane = d.itemShape().dim(1) * d.itemShape().dim(2);
    double[] sum = new double[c];
    double[] sq = new double[c];
    byte[] px = d.sharedPixels();
    for (int i = 0; i < px.length; i++) {
      int ch = (i / plane) % c;
      double v = (px[i] & 0xff) / 255.0;
      sum[ch] += v;
      sq[ch] += v * v;
    }
    float[] mean = new float[c];
    float[] std = new float[c];
    long per = (long) d.size() * plane;
    for (int ch = 0; ch < c; ch++) {
      double m = sum[ch] / per;
      mean[ch] = (float) m;
      std[ch] = (float) Math.max(Math.sqrt(Math.max(sq[ch] / per - m * m, 0)), 1e-3);
    }
    return new Normalization(mean, std);
  }

  /**
   * The mean of every channel.
   *
   * @return a copy of the means
   */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /**
   * The standard deviation of every channel.
   *
   * @return a copy of the deviations
   */
  @Override
  public float[] std() {
    return std.clone();
  }

  /**
   * Scaling to [0, 1] only: mean 0 and deviation 1 for every channel.
   *
   * @param channels the number of channels
   * @return the normalisation
   */
  public static Normalization identity(int channels) {
    float[] one = new float[channels];
    Arrays.fill(one, 1f);
    return new Normalization(new float[channels], one);
  }

  /**
   * How many channels this normalises.
   *
   * @return the channel count
   */
  public int channels() {
    return mean.length;
  }

  /**
   * Normalises one image {@code [channels][plane]} from bytes at {@code src} into {@code dst}.
   *
   * @param px unsigned bytes holding the image
   * @param src where the image starts in {@code px}
   * @param dst receives the floats
   * @param at where to write in {@code dst}
   * @param channels the image's channels; must equal {@link #channels()}
   * @param plane pixels per channel (H x W)
   */
  public void apply(byte[] px, int src, float[] dst, int at, int channels, int plane) {
    Require.that(channels == mean.length, "image channels", channels, "must be " + mean.length);
    for (int ch = 0; ch < channels; ch++) {
      float m = mean[ch];
      float inv = 1f / std[ch];
      int o = ch * plane;
      for (int i = 0; i < plane; i++) {
        dst[at + o + i] = ((px[src + o + i] & 0xff) / 255f - m) * inv;
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
  }
}
