package org.convcl.cpu;

import org.convcl.ops.Activation;

/**
 * The activation a forward product applies to its outputs as it finishes them (the fused epilogue),
 * on a block of C right after the GEMM wrote it, while it is still in cache: ReLU {@code y = x > 0
 * ? x : 0} (so NaN and -0 give +0) and leaky ReLU {@code y = x > 0 ? x : alpha*x}, the formulas of
 * the backend's own activation pass, so fused and unfused results are the same bits. Those are the
 * activations the layers fuse (the ones derivable from their output); the callers apply any other
 * after the product, unfused ({@link #fuses}).
 */
final class GemmEpilogue {
  private GemmEpilogue() {}

  /** True when {@code a} is one this epilogue applies (ReLU, leaky ReLU). */
  static boolean fuses(Activation a) {
    return a != null
        && (a.kind() == Activation.Kind.RELU || a.kind() == Activation.Kind.LEAKY_RELU);
  }

  private static void check(Activation a) {
    if (!fuses(a)) {
      throw new IllegalArgumentException("epilogue " + a + ": only ReLU and leaky ReLU are fused");
    }
  }

  /**
   * Applies {@code a} (null: nothing) to {@code rows x cols} of C from {@code off}, row stride ld.
   */
  static void apply(Activation a, float[] c, int off, int rows, int cols, int ld) {
    if (a == null) {
      return;
    }
    check(a);
    float alpha = a.kind() == Activation.Kind.RELU ? 0f : a.alpha();
    boolean relu = a.kind() == Activation.Kind.RELU;
    for (int i = 0; i < rows; i++) {
      int row = off + i * ld;
      if (relu) {
        for (int j = row; j < row + cols; j++) {
          float v = c[j];
          c[j] = v > 0 ? v : 0f;
        }
      } else {
        for (int j = row; j < row + cols; j++) {
          float v = c[j];
          c[j] = v > 0 ? v : alpha * v;
        }
      }
    }
  }
}
