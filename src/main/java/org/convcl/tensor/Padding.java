package org.convcl.tensor;

/**
 * Zero padding added around the spatial dimensions of an input, given per side so that asymmetric
 * ("same" with an even kernel) padding is expressible.
 */
public record Padding(int top, int bottom, int left, int right) {
  public static final Padding NONE = new Padding(0, 0, 0, 0);

  public Padding {
    Require.nonNegative("padding top", top);
    Require.nonNegative("padding bottom", bottom);
    Require.nonNegative("padding left", left);
    Require.nonNegative("padding right", right);
  }

  /** The same padding on all four sides. */
  public static Padding of(int p) {
    return new Padding(p, p, p, p);
  }

  /** {@code ph} above and below, {@code pw} left and right. */
  public static Padding of(int ph, int pw) {
    return new Padding(ph, ph, pw, pw);
  }

  public boolean isSymmetric() {
    return top == bottom && left == right;
  }

  @Override
  public String toString() {
    if (top == bottom && left == right && top == left) {
      return Integer.toString(top);
    }
    return top + "," + bottom + "," + left + "," + right;
  }
}
