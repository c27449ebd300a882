package org.convcl.data;

import java.util.List;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;

/**
 * Labelled images held as bytes: {@code pixels [N][C][H][W]} (uint8, 0 = black), {@code labels [N]}
 * in {@code [0, classes)}. Pixels become floats only when a batch is filled, through a {@link
 * Normalization}, which keeps a CIFAR-10 training set at 150 MB instead of 600. The accessors of
 * the arrays return copies; {@link #image(int)} and {@link #label(int)} read one item.
 *
 * @param name what the set is, for messages
 * @param pixels all images, {@code [N][C][H][W]} unsigned bytes
 * @param labels the class index of each image
 * @param itemShape the shape {@code C x H x W} of one image
 * @param classNames the name of each class index
 */
public record Dataset(
    String name, byte[] pixels, int[] labels, Shape itemShape, List<String> classNames) {

  /**
   * Checks shapes and labels. The set takes the arrays over (a 150 MB training set is not copied on
   * the way in); the caller must not change them afterwards.
   *
   * @param name what the set is, for messages
   * @param pixels all images, {@code [N][C][H][W]} unsigned bytes
   * @param labels the class index of each image, in [0, classes)
   * @param itemShape the shape {@code C x H x W} of one image
   * @param classNames the name of each class index
   */
  public Dataset {
    Require.that(itemShape.rank() == 3, "dataset item shape", itemShape, "must be CxHxW");
    Require.that(labels.length > 0, "dataset " + name + " size", 0, "must hold at least one image");
    Require.that(
        (long) labels.length * itemShape.size() == pixels.length,
        "dataset " + name + " pixels",
        pixels.length,
        "must be " + labels.length + " x " + itemShape);
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i];
      Require.that(
          label >= 0 && label < classNames.size(),
          "dataset " + name + " label of item " + i,
          label,
          "must be in [0, " + classNames.size() + ")");
    }
    classNames = List.copyOf(classNames);
  }

  /**
   * All images.
   *
   * @return a copy of the pixels {@code [N][C][H][W]}
   */
  @Override
  public byte[] pixels() {
    return pixels.clone();
  }

  /**
   * All labels.
   *
   * @return a copy of the class index of every image
   */
  @Override
  public int[] labels() {
    return labels.clone();
  }

  /** The pixels themselves, for readers in this package that only look. */
  byte[] sharedPixels() {
    return pixels;
  }

  /**
   * One image.
   *
   * @param i the item index, in [0, size())
   * @return a copy of its bytes {@code [C][H][W]}
   */
  public byte[] image(int i) {
    java.util.Objects.checkIndex(i, labels.length);
    int item = itemShape.size();
    return java.util.Arrays.copyOfRange(pixels, i * item, (i + 1) * item);
  }

  /**
   * One label.
   *
   * @param i the item index, in [0, size())
   * @return its class index
   */
  public int label(int i) {
    return labels[i];
  }

  /**
   * How many images the set holds.
   *
   * @return at least 1
   */
  public int size() {
    return labels.length;
  }

  /**
   * How many classes the labels number.
   *
   * @return the size of {@link #classNames()}
   */
  public int classes() {
    return classNames.size();
  }

  /**
   * The first {@code n} items (all when {@code n >= size()}), for quick runs and tests.
   *
   * @param n at least 1
   * @return the shortened set
   */
  public Dataset limit(int n) {
    if (n >= size()) {
      return this;
    }
    Require.positive("limit", n);
    return slice(0, n);
  }

  /**
   * Items {@code from .. to-1}, in this order.
   *
   * @param from the first index
   * @param to one past the last index
   * @return the slice, named after this set
   */
  public Dataset slice(int from, int to) {
    java.util.Objects.checkFromToIndex(from, to, size());
    int item = itemShape.size();
    byte[] px = java.util.Arrays.copyOfRange(pixels, from * item, to * item);
    int[] lb = java.util.Arrays.copyOfRange(labels, from, to);
    return new Dataset(name, px, lb, itemShape, classNames);
  }

  /**
   * Splits off a validation set: a fixed-seed random {@code fraction} of the items becomes the
   * second part, the rest the first, each in its original order.
   *
   * @param fraction of the items for validation, in (0, 1)
   * @param seed the seed of the random choice
   * @return {@code (train, validation)}, both named after this set
   */
  public Split splitValidation(double fraction, long seed) {
    Require.that(
        fraction > 0 && fraction < 1, "validation fraction", fraction, "must be in (0, 1)");
    int n = size();
    int val = (int) Math.round(n * fraction);
    Require.that(
        val >= 1 && val < n,
        "validation fraction",
        fraction,
        "leaves no image on one side of " + n + " images");
    int[] order = java.util.stream.IntStream.range(0, n).toArray();
    java.util.Random r = new java.util.Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    boolean[] isVal = new boolean[n];
    for (int i = 0; i < val; i++) {
      isVal[order[i]] = true;
    }
    return new Split(
        pick(isVal, false, n - val, " train part"), pick(isVal, true, val, " validation part"));
  }

  private Dataset pick(boolean[] isVal, boolean want, int count, String suffix) {
    int item = itemShape.size();
    byte[] px = new byte[count * item];
    int[] lb = new int[count];
    int k = 0;
    for (int i = 0; i < isVal.length; i++) {
      if (isVal[i] == want) {
        System.arraycopy(pixels, i * item, px, k * item, item);
        lb[k++] = labels[i];
      }
    }
    return new Dataset(name + suffix, px, lb, itemShape, classNames);
  }

  /**
   * Writes items {@code order[from .. from+count)} normalised into {@code images} ({@code
   * [count][C][H][W]}) and their labels into {@code labels}; rows past {@code count} are left as
   * they are.
   *
   * @param order item indices
   * @param from the first position of {@code order} to fill
   * @param count how many items to fill
   * @param norm the normalisation applied to the pixels
   * @param images receives {@code [count][C][H][W]} floats
   * @param labels receives {@code count} labels
   */
  public void fill(
      int[] order, int from, int count, Normalization norm, float[] images, int[] labels) {
    int item = itemShape.size();
    int plane = itemShape.dim(1) * itemShape.dim(2);
    for (int b = 0; b < count; b++) {
      int src = order[from + b];
      labels[b] = this.labels[src];
      norm.apply(pixels, src * item, images, b * item, itemShape.dim(0), plane);
    }
  }

  /**
   * The class names 0..9 used by the digit and CIFAR-10 sets.
   *
   * @return the names {@code "0"} to {@code "9"}
   */
  public static List<String> digits() {
    return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  }
}
