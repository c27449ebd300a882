package org.convcl.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowKernels} on jdk.incubator.vector, one register of the backend's {@link SimdSpecies} per
 * step; the same bits as {@link ScalarRowKernels}. Compiled on its own with {@code --add-modules
 * jdk.incubator.vector} and loaded only through {@link RowKernels#best}.
 */
final class SimdRowKernels implements RowKernels {
  private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
  private static final int L = F.length();
  private static final FloatVector ZERO = FloatVector.zero(F);
  private static final FloatVector ONE = FloatVector.broadcast(F, 1f);

  @Override
  public void relu(float[] x, float[] y, int lo, int hi) {
    int i = lo;
    for (int end = lo + F.loopBound(hi - lo); i < end; i += L) {
      FloatVector v = FloatVector.fromArray(F, x, i);
      ZERO.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
    }
    for (; i < hi; i++) {
      y[i] = x[i] > 0 ? x[i] : 0f;
    }
  }

  @Override
  public void reluBackward(float[] x, float[] dy, float[] dx, int lo, int hi) {
    int i = lo;
    for (int end = lo + F.loopBound(hi - lo); i < end; i += L) {
      VectorMask<Float> positive = FloatVector.fromArray(F, x, i).compare(VectorOperators.GT, 0f);
      FloatVector.fromArray(F, dy, i).mul(ZERO.blend(ONE, positive)).intoArray(dx, i);
    }
    for (; i < hi; i++) {
      dx[i] = dy[i] * (x[i] > 0 ? 1f : 0f);
    }
  }

  @Override
  public void axpy(
      float a, float[] x, int xo, int xStride, float[] y, int yo, int yStride, int len) {
    int i = 0;
    if (xStride == 1 && yStride == 1) {
      FloatVector va = FloatVector.broadcast(F, a);
      for (int end = F.loopBound(len); i < end; i += L) {
        va.fma(FloatVector.fromArray(F, x, xo + i), FloatVector.fromArray(F, y, yo + i))
            .intoArray(y, yo + i);
      }
    }
    for (; i < len; i++) {
      int yi = yo + i * yStride;
      y[yi] = Math.fma(a, x[xo + i * xStride], y[yi]);
    }
  }

  @Override
  public float dot(float[] x, int xo, int xStride, float[] y, int yo, int len) {
    int i = 0;
    float sum = 0f;
    if (xStride == 1 && len >= L) {
      FloatVector acc = FloatVector.zero(F);
      for (int end = F.loopBound(len); i < end; i += L) {
        acc = FloatVector.fromArray(F, x, xo + i).fma(FloatVector.fromArray(F, y, yo + i), acc);
      }
      sum = acc.reduceLanes(VectorOperators.ADD);
    }
    for (; i < len; i++) {
      sum = Math.fma(x[xo + i * xStride], y[yo + i], sum);
    }
    return sum;
  }
}
