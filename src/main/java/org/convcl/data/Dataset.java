package org.convcl.data;

import java.util.List;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;

/**
 * Labelled images held as bytes: {@code pixels [N][C][H][W]} (uint8, 0 = black), {@code labels [N]}
 * in {@code [0, classes)}. Pixels become floats only when a batch is filled, through a {@link
 * Normalization}, which keeps a CIFAR-10 training set at 150 MB instead of 600.
 */
public record Dataset(
    String name, byte[] pixels, int[] labels, Shape itemShape, List<String> classNames) {

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

  public int size() {
    return labels.length;
  }

  public int classes() {
    return classNames.size();
  }

  /** The first {@code n} items (all when {@code n >= size()}), for quick runs and tests. */
  public Dataset limit(int n) {
    if (n >= size()) {
      return this;
    }
    Require.positive("limit", n);
    byte[] px = java.util.Arrays.copyOf(pixels, n * itemShape.size());
    int[] lb = java.util.Arrays.copyOf(labels, n);
    return new Dataset(name, px, lb, itemShape, classNames);
  }

  /**
   * Writes items {@code order[from .. from+count)} normalised into {@code images} ({@code
   * [count][C][H][W]}) and their labels into {@code labels}; rows past {@code count} are left as
   * they are.
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

  /** The class names 0..9 used by the digit and CIFAR-10 sets. */
  public static List<String> digits() {
    return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  }
}
