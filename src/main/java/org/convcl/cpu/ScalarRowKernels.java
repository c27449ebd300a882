package org.convcl.cpu;

/**
 * {@link RowKernels} without jdk.incubator.vector: plain loops, branch-free where the data decides
 * (see {@link CpuElementwise#positiveMask}).
 */
final class ScalarRowKernels implements RowKernels {
  private static final int ONE_BITS = Float.floatToRawIntBits(1f);

  @Override
  public void relu(float[] x, float[] y, int lo, int hi) {
    for (int i = lo; i < hi; i++) {
      y[i] =
          Float.intBitsToFloat(Float.floatToRawIntBits(x[i]) & CpuElementwise.positiveMask(x[i]));
    }
  }

  @Override
  public void reluBackward(float[] x, float[] dy, float[] dx, int lo, int hi) {
    for (int i = lo; i < hi; i++) {
      dx[i] = dy[i] * Float.intBitsToFloat(CpuElementwise.positiveMask(x[i]) & ONE_BITS);
    }
  }

  @Override
  public void axpy(
      float a, float[] x, int xo, int xStride, float[] y, int yo, int yStride, int len) {
    for (int i = 0; i < len; i++, xo += xStride, yo += yStride) {
      y[yo] = Math.fma(a, x[xo], y[yo]);
    }
  }

  @Override
  public float dot(float[] x, int xo, int xStride, float[] y, int yo, int len) {
    float sum = 0f;
    for (int i = 0; i < len; i++, xo += xStride) {
      sum = Math.fma(x[xo], y[yo + i], sum);
    }
    return sum;
  }
}
