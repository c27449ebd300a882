package org.convcl.testutil;

import static org.junit.jupiter.api.Assertions.fail;

import org.convcl.tensor.Shape;

/**
 * Compares a result with its reference under the one tolerance rule {@code |actual - expected| <=
 * atol + rtol * |expected|}. A failure reports the context (seed, geometry), the max absolute and
 * relative error and the first five mismatches with their multi-dimensional index. NaN in {@code
 * actual} always fails, so poisoned outputs that a kernel forgot to write show up.
 */
public final class ArrayDiff {
  private ArrayDiff() {}

  public static void assertClose(
      String context, Shape shape, float[] expected, float[] actual, double atol, double rtol) {
    double[] e = new double[expected.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = expected[i];
    }
    assertClose(context, shape, e, actual, atol, rtol);
  }

  public static void assertClose(
      String context, Shape shape, double[] expected, float[] actual, double atol, double rtol) {
    assertWithin(
        context,
        shape,
        expected,
        actual,
        i -> atol + rtol * Math.abs(expected[i]),
        String.format("atol %.1e, rtol %.1e", atol, rtol));
  }

  /**
   * {@code |actual[i] - expected[i]| <= bound[i]} for every i: a bound worked out per element, e.g.
   * from the length and the absolute terms of the sum that made it.
   */
  public static void assertWithin(
      String context, Shape shape, double[] expected, float[] actual, double[] bound) {
    if (bound.length != expected.length) {
      fail(context + ": " + bound.length + " bounds for " + expected.length + " elements");
    }
    double max = 0;
    for (double b : bound) {
      max = Math.max(max, b);
    }
    assertWithin(
        context, shape, expected, actual, i -> bound[i], String.format("bounds up to %.1e", max));
  }

  private static void assertWithin(
      String context,
      Shape shape,
      double[] expected,
      float[] actual,
      java.util.function.IntToDoubleFunction bound,
      String rule) {
    if (expected.length != actual.length) {
      fail(context + ": length " + actual.length + " but expected " + expected.length);
    }
    double maxAbs = 0;
    double maxRel = 0;
    int bad = 0;
    StringBuilder first = new StringBuilder();
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(actual[i] - expected[i]);
      boolean ok = Double.isFinite(actual[i]) && diff <= bound.applyAsDouble(i);
      if (Float.isNaN(actual[i]) && Double.isNaN(expected[i])) {
        ok = true;
      }
      if (!ok) {
        if (bad < 5) {
          first
              .append("\n  at ")
              .append(index(shape, i))
              .append(": expected ")
              .append(expected[i])
              .append(" but was ")
              .append(actual[i])
              .append(" (allowed ")
              .append(String.format("%.2e", bound.applyAsDouble(i)))
              .append(')');
        }
        bad++;
      }
      if (Double.isFinite(diff)) {
        maxAbs = Math.max(maxAbs, diff);
        maxRel = Math.max(maxRel, diff / Math.max(Math.abs(expected[i]), 1e-30));
      }
    }
    if (bad > 0) {
      fail(
          String.format(
              "%s: %d of %d elements differ (%s; max abs %.3e, max rel %.3e)%s",
              context, bad, expected.length, rule, maxAbs, maxRel, first));
    }
  }

  public static void assertEqualInts(String context, Shape shape, int[] expected, int[] actual) {
    if (expected.length != actual.length) {
      fail(context + ": length " + actual.length + " but expected " + expected.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] != actual[i]) {
        fail(
            context
                + ": at "
                + index(shape, i)
                + " expected "
                + expected[i]
                + " but was "
                + actual[i]);
      }
    }
  }

  /** The index {@code (n,c,h,w)} of flat position {@code flat} in {@code shape}. */
  public static String index(Shape shape, int flat) {
    int[] d = shape.dims();
    int[] idx = new int[d.length];
    for (int i = d.length - 1; i >= 0; i--) {
      idx[i] = flat % d[i];
      flat /= d[i];
    }
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < idx.length; i++) {
      b.append(i > 0 ? "," : "").append(idx[i]);
    }
    return b.append(')').toString();
  }
}
