package org.convcl.testutil;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Double-precision helpers for gradient checks: conversions, inner products, central differences.
 */
public final class Numeric {
  private Numeric() {}

  public static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  public static double[] abs(double[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = Math.abs(a[i]);
    }
    return d;
  }

  /** {@code <a, b>} summed in double. */
  public static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** {@code <a, b>} of two float arrays, every product and the sum in double. */
  public static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** {@code sum |a_i b_i|}, the scale against which an inner product's rounding is judged. */
  public static double dotAbs(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.abs((double) a[i] * b[i]);
    }
    return s;
  }

  public static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /**
   * The gradient of {@code loss} at {@code x} by central differences {@code (L(x+h e_i) - L(x-h
   * e_i)) / 2h}, in double. Its error is O(h^2) from truncation (zero for functions linear in x_i)
   * plus about 1e-16 |L| / h from rounding: with h = 1e-6 both are far below float precision.
   */
  public static double[] centralDifference(ToDoubleFunction<double[]> loss, double[] x, double h) {
    double[] grad = new double[x.length];
    double[] probe = x.clone();
    for (int i = 0; i < x.length; i++) {
      probe[i] = x[i] + h;
      double up = loss.applyAsDouble(probe);
      probe[i] = x[i] - h;
      double down = loss.applyAsDouble(probe);
      probe[i] = x[i];
      grad[i] = (up - down) / (2 * h);
    }
    return grad;
  }

  /**
   * {@code n} distinct floats at least {@code gap} apart, in random order: max pooling's argmax
   * cannot change under a finite-difference step much smaller than the gap.
   */
  public static float[] distinct(Random r, int n, float gap) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (perm[i] - n / 2) * gap;
    }
    return a;
  }
}
