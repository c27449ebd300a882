package org.convcl.nn;

import org.convcl.tensor.Shape;

/** Conversions between per-item shapes ({@code [C][H][W]}, {@code [F]}) and batch shapes. */
public final class Shapes {
  private Shapes() {}

  /** {@code [n]} followed by the item's dimensions. */
  public static Shape batch(int n, Shape item) {
    int[] d = item.dims();
    int[] out = new int[d.length + 1];
    out[0] = n;
    System.arraycopy(d, 0, out, 1, d.length);
    return Shape.of(out);
  }

  /** The item shape of a batch shape: every dimension but the first. */
  public static Shape item(Shape batch) {
    int[] d = batch.dims();
    int[] out = new int[d.length - 1];
    System.arraycopy(d, 1, out, 0, out.length);
    return Shape.of(out);
  }

  /** Parses {@code 1x28x28} (the form {@link Shape#toString()} writes). */
  public static Shape parse(String text) {
    String[] parts = text.trim().split("x", -1);
    int[] d = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        d[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "shape = " + text + ": must be dimensions separated by x, e.g. 1x28x28", e);
      }
    }
    return Shape.of(d);
  }
}
