package org.convcl.cl;

/**
 * The per-op tolerances of the differential tests, {@code |cl - cpu| <= atol + rtol*|cpu|}. Inputs
 * are uniform in [-1, 1). CpuOps accumulates in double (or in a different float order, im2col
 * GEMM); the kernels accumulate in float, so the error grows with the number of terms of each sum.
 * Float epsilon is about 1.2e-7; a sum of T terms of magnitude up to 1 carries an error of roughly
 * T*eps*|partial sums| in the worst case and sqrt(T)*eps typically.
 */
final class Tolerance {
  private Tolerance() {}

  /** An absolute and a relative bound. */
  record Tol(double atol, double rtol) {}

  /** Exact: the kernel copies or routes a value without arithmetic, or adds in the CPU's order. */
  static final Tol EXACT = new Tol(0, 0);

  /** Sums of at most C/groups*R*S <= 4*49 = 196 products (|sum| up to ~15): 196*1.2e-7*~5. */
  static final Tol CONV_FORWARD = new Tol(2e-4, 1e-4);

  /** Sums of at most K/groups*R*S <= 196 products, like the forward pass. */
  static final Tol CONV_BACKWARD_INPUT = new Tol(2e-4, 1e-4);

  /**
   * Sums over N*outH*outW <= ~3000 products, cut in chunks of float partial sums (so the error
   * grows with the chunk length, not the whole count), then added in float.
   */
  static final Tol CONV_BACKWARD_FILTER = new Tol(1e-3, 1e-4);

  /** Sums of up to ~3000 values in [-1, 1) in chunks: as the filter gradient. */
  static final Tol BIAS_BACKWARD = new Tol(1e-3, 1e-4);

  /** Averages of at most 49 values: float sum versus double sum, then one division. */
  static final Tol AVG_POOL = new Tol(1e-5, 1e-5);

  /** One float operation per element versus Java's float (or double-then-rounded) arithmetic. */
  static final Tol ELEMENTWISE = new Tol(1e-6, 1e-6);

  /** tanh, exp: OpenCL's built-ins are allowed 4-5 ulp where Java's Math is within 1. */
  static final Tol TRANSCENDENTAL = new Tol(2e-6, 4e-6);

  /** GEMM rows of up to ~100 products, tiled float sums versus the CPU's order. */
  static final Tol DENSE = new Tol(1e-4, 1e-4);

  /** Softmax: float exp and sum over K <= 20 classes versus double. */
  static final Tol SOFTMAX = new Tol(1e-6, 1e-5);

  /** Batch norm: float mean/variance over M <= ~500 values versus double, then a normalisation. */
  static final Tol BATCH_NORM = new Tol(1e-4, 1e-4);

  /** Optimizer steps: a few float operations; Adam's corrections divide in double on the CPU. */
  static final Tol OPTIMIZER = new Tol(1e-6, 1e-5);

  /** sum(): float partial sums of 256 elements added in double, versus a double sum. */
  static final Tol SUM = new Tol(1e-4, 1e-6);
}
