package org.convcl.data;

import java.util.SplittableRandom;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;

/**
 * Random changes to training images, the usual ones for CIFAR-style data: a random crop of the
 * image padded by {@code padding} black pixels on every side (equivalently, a shift by up to {@code
 * padding} pixels each way, with black shifted in), and a horizontal flip with probability 1/2.
 * Applied to a normalised batch, where black is {@code -mean/std} of each channel. The choices are
 * a pure function of the seed given per batch, so equal seeds give equal runs.
 *
 * @param padding the crop padding in pixels, at least 0 (0: no crop)
 * @param flip whether to flip images horizontally at random
 */
public record Augmentation(int padding, boolean flip) {

  /**
   * Checks the padding.
   *
   * @param padding the crop padding in pixels, at least 0
   * @param flip whether to flip at random
   */
  public Augmentation {
    Require.nonNegative("augmentation padding", padding);
  }

  /**
   * No change.
   *
   * @return the identity augmentation
   */
  public static Augmentation none() {
    return new Augmentation(0, false);
  }

  /**
   * The CIFAR recipe: random 32x32 crops of the image padded by 4, and horizontal flips.
   *
   * @return crop padding 4 with flips
   */
  public static Augmentation cifar() {
    return new Augmentation(4, true);
  }

  /**
   * Whether this changes anything.
   *
   * @return false for {@link #none()}
   */
  public boolean isNone() {
    return padding == 0 && !flip;
  }

  /**
   * Transforms the first {@code count} images of {@code images} ({@code [count][C][H][W]}, already
   * normalised with {@code norm}) in place.
   *
   * @param images the batch
   * @param count how many images to transform
   * @param item the shape {@code C x H x W} of one image
   * @param norm the normalisation the images went through (it says what black became)
   * @param seed the seed of this batch's choices
   */
  public void apply(float[] images, int count, Shape item, Normalization norm, long seed) {
    if (isNone()) {
      return;
    }
    int c = item.dim(0);
    int h = item.dim(1);
    int w = item.dim(2);
    float[] mean = norm.mean();
    float[] std = norm.std();
    float[] black = new float[c];
    for (int ch = 0; ch < c; ch++) {
      black[ch] = -mean[ch] / std[ch];
    }
    SplittableRandom r = new SplittableRandom(seed);
    float[] copy = new float[item.size()];
    for (int b = 0; b < count; b++) {
      int dx = padding == 0 ? 0 : r.nextInt(-padding, padding + 1);
      int dy = padding == 0 ? 0 : r.nextInt(-padding, padding + 1);
      boolean mirror = flip && r.nextBoolean();
      if (dx == 0 && dy == 0 && !mirror) {
        continue;
      }
      int at = b * item.size();
      System.arraycopy(images, at, copy, 0, item.size());
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          int sy = y + dy;
          for (int x = 0; x < w; x++) {
            int sx = (mirror ? w - 1 - x : x) + dx;
            boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
            images[at + (ch * h + y) * w + x] = inside ? copy[(ch * h + sy) * w + sx] : black[ch];
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return isNone() ? "none" : "crop padding " + padding + (flip ? ", flip" : "");
  }
}
