package org.convcl.cl;

import org.convcl.ref.RefConv;
import org.convcl.ref.RefDense;
import org.convcl.tensor.ConvGeometry;

/**
 * The tolerances of the differential tests, which compare float kernels with the double-precision
 * reference ({@code RefOps}, whose results are exact up to one final rounding to float).
 *
 * <p>Sums (convolution, dense, bias gradients) get a bound per element from the sum itself: a float
 * sum of T terms, in any order and with any split into partial sums, errs by at most {@code T u S}
 * (u = 2^-24, S = the sum of the terms' absolute values), and in practice, with rounding errors of
 * random sign, by about {@code sqrt(T) u S} at most: S bounds every partial sum, and T random
 * errors of size u|partial| add up like a random walk. The bound is {@code SAFETY sqrt(T) u S} plus
 * one rounding of the result, with S computed by the reference on the absolute values of the
 * inputs. A wrong or missing tap changes a result by a whole term, far more than this for the
 * test's inputs (uniform in [-1, 1)).
 *
 * <p>The other ops get a fixed {@code |cl - ref| <= atol + rtol*|ref|}, justified per constant.
 */
final class Tolerance {
  private Tolerance() {}

  /** An absolute and a relative bound. */
  record Tol(double atol, double rtol) {}

  /** The float unit roundoff, 2^-24. */
  static final double U = 0x1p-24;

  /**
   * How many "typical" errors {@code sqrt(T) u S} the bound allows: the typical error is at most a
   * third of that for sums of same-signed terms and far less with cancellation; 4 leaves a wide
   * margin for the kernels' tree and chunked orders without masking a missing term.
   */
  static final double SAFETY = 4;

  /** Exact: the kernel copies or selects a value without arithmetic. */
  static final Tol EXACT = new Tol(0, 0);

  /**
   * Averages of at most 49 values and the max-pool upsample, where overlapping windows add up to
   * (kernel/stride)^2 <= 49 float terms of magnitude <= 1: a float sum of T terms versus the double
   * one is within T u (<= 3e-6), then one division.
   */
  static final Tol AVG_POOL = new Tol(1e-5, 1e-5);

  /**
   * A few float operations per element versus the same formula in double rounded once: each float
   * operation adds at most u relative error (dropout's mask 1/(1-p) is one or two roundings, the
   * activation derivatives three), so 1e-6 relative (about 16 u) plus 1e-6 absolute for results
   * near 0 after cancellation (1 - y*y, p - 1).
   */
  static final Tol ELEMENTWISE = new Tol(1e-6, 1e-6);

  /** tanh, exp: OpenCL's built-ins are allowed 4-5 ulp (4 u each) where double is exact. */
  static final Tol TRANSCENDENTAL = new Tol(2e-6, 4e-6);

  /**
   * Softmax over K <= 20 classes: float exp (4 ulp) and a float sum of K terms (K u) versus double,
   * then a division: about 30 u relative.
   */
  static final Tol SOFTMAX = new Tol(1e-6, 1e-5);

  /**
   * Batch norm: float mean and variance over M <= ~500 values (M u relative to the sum of |x| or of
   * (x-mean)^2: ~3e-5 in the worst case, ~1e-6 typically), then a normalisation; the gradient's
   * cancelling sums likewise.
   */
  static final Tol BATCH_NORM = new Tol(1e-4, 1e-4);

  /**
   * Optimizer steps: a few float operations per element (SGD: 3-4; Adam: ~10 and a sqrt) versus
   * double: under 1e-5 relative, and 1e-6 absolute for updates that cancel to near 0.
   */
  static final Tol OPTIMIZER = new Tol(1e-6, 1e-5);

  /** sum(): float partial sums of 256 elements added in double, versus a double sum. */
  static final Tol SUM = new Tol(1e-4, 1e-6);

  /**
   * The bound of each element of a float sum of {@code terms} terms with absolute sums {@code s}.
   */
  static double[] sumBound(double[] s, long terms) {
    double[] bound = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      bound[i] = SAFETY * Math.sqrt(terms) * U * s[i] + U * s[i] + Float.MIN_NORMAL;
    }
    return bound;
  }

  /** convForward: C/groups*R*S products and the bias per output. */
  static double[] convForward(ConvGeometry g, float[] x, float[] w, float[] bias) {
    double[] s = RefConv.forward(abs(x), abs(w), bias == null ? null : abs(bias), g);
    return sumBound(
        s, (long) g.channelsPerGroup() * g.params().kernelH() * g.params().kernelW() + 1);
  }

  /** convBackwardInput: at most K/groups*R*S products per input cell. */
  static double[] convBackwardInput(ConvGeometry g, float[] dy, float[] w) {
    double[] s = RefConv.backwardInput(abs(dy), abs(w), g);
    return sumBound(s, (long) g.filtersPerGroup() * g.params().kernelH() * g.params().kernelW());
  }

  /** convBackwardFilter: N*outH*outW products per weight. */
  static double[] convBackwardFilter(ConvGeometry g, float[] x, float[] dy) {
    double[] s = RefConv.backwardFilter(abs(x), abs(dy), g);
    return sumBound(s, (long) g.n() * g.outH() * g.outW());
  }

  /** biasBackward: the sum over every dimension but K of dy {@code [N][K][...]}. */
  static double[] biasBackward(float[] dy, int n, int k) {
    return sumBound(RefConv.backwardBias(abs(dy), n, k), dy.length / k);
  }

  /** denseForward: F products and the bias per output. */
  static double[] denseForward(float[] x, float[] w, float[] bias, int n, int f) {
    double[] s = RefDense.forward(abs(x), abs(w), bias == null ? null : abs(bias), n, f);
    return sumBound(s, f + 1);
  }

  /** denseBackwardInput: O products per input cell. */
  static double[] denseBackwardInput(float[] dy, float[] w, int n, int f) {
    return sumBound(RefDense.backwardInput(abs(dy), abs(w), n, f), w.length / f);
  }

  /** denseBackwardWeights: N products per weight. */
  static double[] denseBackwardWeights(float[] x, float[] dy, int n, int f) {
    return sumBound(RefDense.backwardWeights(abs(x), abs(dy), n, f), n);
  }

  private static double[] abs(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = Math.abs(a[i]);
    }
    return d;
  }
}
