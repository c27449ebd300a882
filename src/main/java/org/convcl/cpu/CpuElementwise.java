package org.convcl.cpu;

import org.convcl.ops.Activation;
import org.convcl.ops.CounterRandom;

/** Element-wise functions: activations and their derivatives, dropout, products. */
final class CpuElementwise {
  private CpuElementwise() {}

  static float apply(Activation f, float x) {
    return switch (f.kind()) {
      case RELU -> x > 0 ? x : 0f;
      case LEAKY_RELU -> x > 0 ? x : f.alpha() * x;
      case TANH -> (float) Math.tanh(x);
      case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
    };
  }

  /** f'(x), written with the forward output y where that is the cheaper form. */
  static float derivative(Activation f, float x, float y) {
    return switch (f.kind()) {
      case RELU -> x > 0 ? 1f : 0f;
      case LEAKY_RELU -> x > 0 ? 1f : f.alpha();
      case TANH -> 1f - y * y;
      case SIGMOID -> y * (1f - y);
    };
  }

  /**
   * All ones when {@code x > 0} (NaN is not), else 0, without a branch: with random signs the
   * branch of {@code x > 0 ? x : 0} mispredicts half the time, which made ReLU 7x slower. The bits
   * {@code b} of x are in {@code [1, 0x7f800000]} exactly for the positive floats up to +inf, that
   * is {@code b - 1} in {@code [0, 0x7f7fffff]}: {@code (b - 1 - 0x7f800000) >> 31} is all ones
   * where {@code b - 1} is below that bound, and {@code ~((b - 1) >> 31)} clears where {@code b -
   * 1} is negative (+0, whose derivative is 0, and the negatives).
   */
  static int positiveMask(float x) {
    int b = Float.floatToRawIntBits(x);
    return ((b - 1) - 0x7f800000) >> 31 & ~((b - 1) >> 31);
  }

  /** Elements per task of the threaded loops: large enough that a task outweighs its dispatch. */
  private static final int CHUNK = 1 << 15;

  /** The same bits on every path (see RowKernels), so the choice is only about speed. */
  private static final RowKernels SCALAR = new ScalarRowKernels();

  /**
   * The row kernels for an op on {@code n} elements: {@code k} (SIMD) for a full chunk or more, the
   * scalar loop below that. A Vector API loop boxes its vectors on the heap until the JIT has
   * compiled it, and a small op called once per step (a dense layer's ReLU, 64x500) takes dozens of
   * steps to get there: about 800 KB allocated per step meanwhile, for a loop whose scalar form
   * costs a few microseconds.
   */
  private static RowKernels forSize(RowKernels k, int n) {
    return n >= CHUNK ? k : SCALAR;
  }

  /**
   * {@code y = f(x)} element by element, in chunks over the pool; the switch on the kind is taken
   * once per chunk, so each loop body is one expression the JIT vectorises (ReLU: a compare and a
   * blend).
   */
  static void forward(Parallel par, RowKernels rows, Activation f, float[] x, float[] y) {
    int n = x.length;
    RowKernels k = forSize(rows, n);
    par.forRanges(n, CHUNK, (lo, hi) -> forwardRange(k, f, x, y, lo, hi));
  }

  /**
   * {@code y[i] = f(x[i])} for i in {@code [lo, hi)}: ReLU by the row kernels {@code k}, other
   * functions element by element (the same bits either way).
   */
  static void forwardRange(RowKernels k, Activation f, float[] x, float[] y, int lo, int hi) {
    switch (f.kind()) {
      case RELU -> k.relu(x, y, lo, hi);
      default -> {
        for (int i = lo; i < hi; i++) {
          y[i] = apply(f, x[i]);
        }
      }
    }
  }

  /** {@code dx = dy * f'(x)} element by element, chunked like {@link #forward}. */
  static void backward(
      Parallel par, RowKernels rows, Activation f, float[] x, float[] y, float[] dy, float[] dx) {
    int n = x.length;
    RowKernels k = forSize(rows, n);
    par.forRanges(
        n,
        CHUNK,
        (lo, hi) -> {
          switch (f.kind()) {
            case RELU -> k.reluBackward(x, dy, dx, lo, hi);
            default -> {
              for (int i = lo; i < hi; i++) {
                dx[i] = dy[i] * derivative(f, x[i], y[i]);
              }
            }
          }
        });
  }

  /** Inverted dropout with the shared counter-based random numbers (see {@link CounterRandom}). */
  static void dropout(float[] x, float[] y, float[] mask, float p, long seed) {
    float keep = 1f / (1f - p);
    for (int i = 0; i < x.length; i++) {
      mask[i] = CounterRandom.uniform(seed, i) >= p ? keep : 0f;
      y[i] = x[i] * mask[i];
    }
  }

  static void multiply(float[] a, float[] b, float[] out) {
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * b[i];
    }
  }
}
