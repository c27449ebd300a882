package org.convcl.tune;

/**
 * Whether a float result agrees with the reference, element by element, within a bound derived from
 * the sum that made it: {@code |actual - expected| <= gamma * magnitude + tiny}, where {@code
 * magnitude} is the sum of the absolute values of the element's terms (the same op run on {@code
 * |inputs|}) and {@code gamma = min(terms * 2^-23, 1e-3)}. A float sum of {@code n} terms in any
 * order errs by at most about {@code n * 2^-24 * magnitude}; a blocked or chunked sum errs far
 * less, so the bound accepts every correct order while a wrong implementation (a missed or doubled
 * tap, a wrong index) errs by a whole term, which for the shapes tested is above {@code 1e-3} of
 * the magnitude. NaN or infinity where the reference is finite never agrees. Used by the tuner
 * before a candidate may win and by the contract suite.
 */
public final class Agreement {
  /** Cap on the relative bound: well below the weight of one term in the shapes tested. */
  static final double MAX_GAMMA = 1e-3;

  /** Absolute slack for results that cancel to about zero. */
  static final double TINY = 1e-30;

  private Agreement() {}

  /** The bound's factor for sums of {@code terms} terms. */
  public static double gamma(long terms) {
    return Math.min(Math.max(1, terms) * 0x1p-23, MAX_GAMMA);
  }

  /**
   * Null when {@code actual} agrees with {@code expected}, else a message naming the first bad
   * element, both values and the bound.
   *
   * @param magnitude per element, the sum of the absolute values of its terms
   * @param terms the number of terms per element (the longest sum)
   */
  public static String check(float[] actual, float[] expected, float[] magnitude, long terms) {
    if (actual.length != expected.length || magnitude.length != expected.length) {
      return "length " + actual.length + " where the reference has " + expected.length;
    }
    double gamma = gamma(terms);
    int bad = 0;
    String first = null;
    for (int i = 0; i < actual.length; i++) {
      double e = expected[i];
      double a = actual[i];
      double bound = gamma * magnitude[i] + TINY;
      boolean ok = Double.isFinite(e) ? Math.abs(a - e) <= bound : Double.compare(a, e) == 0;
      if (!ok) {
        if (first == null) {
          first = String.format("element %d: %s, reference %s (bound %.3g)", i, a, e, bound);
        }
        bad++;
      }
    }
    return first == null ? null : bad + " of " + actual.length + " elements differ; first " + first;
  }
}
