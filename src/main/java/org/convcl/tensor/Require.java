package org.convcl.tensor;

/**
 * The one place where argument rules live. Every failure is an {@link IllegalArgumentException}
 * whose message names the parameter, the value that was given and the rule it broke, so a user can
 * fix the call without reading code.
 */
public final class Require {
  private Require() {}

  /** {@code value >= 1}. */
  public static int positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " = " + value + ": must be at least 1");
    }
    return value;
  }

  /** {@code value >= 0}. */
  public static int nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " = " + value + ": must not be negative");
    }
    return value;
  }

  /** A finite float strictly greater than zero. */
  public static float positiveFinite(String name, float value) {
    if (!(value > 0) || !Float.isFinite(value)) {
      throw new IllegalArgumentException(
          name + " = " + value + ": must be a finite number greater than 0");
    }
    return value;
  }

  /** A finite float that is not negative. */
  public static float nonNegativeFinite(String name, float value) {
    if (!(value >= 0) || !Float.isFinite(value)) {
      throw new IllegalArgumentException(
          name + " = " + value + ": must be a finite number, at least 0");
    }
    return value;
  }

  /** {@code lo <= value < hi} (lo inclusive, hi exclusive). */
  public static float inRange(String name, float value, float lo, float hi) {
    if (!(value >= lo && value < hi)) {
      throw new IllegalArgumentException(
          name + " = " + value + ": must be in [" + lo + ", " + hi + ")");
    }
    return value;
  }

  /** A general condition; {@code rule} completes the sentence "name = value: ...". */
  public static void that(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(name + " = " + value + ": " + rule);
    }
  }

  /** Two shapes must be equal; used for every input/output/gradient pairing. */
  public static void sameShape(String op, String name, Shape expected, Shape found) {
    if (!expected.equals(found)) {
      throw new IllegalArgumentException(
          op + ": " + name + " has shape " + found + " but " + expected + " was expected");
    }
  }
}
