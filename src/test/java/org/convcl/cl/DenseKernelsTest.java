package org.convcl.cl;

import java.util.Random;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of opencl/dense.cl (the tiled GEMM) against the reference (RefOps); sizes not
 * multiples of the tile.
 */
@Tag("opencl")
class DenseKernelsTest {
  private static final long BASE_SEED = 9_001L;

  @Test
  void forwardAndBothGradientsMatchTheOracle() {
    for (int i = 0; i < 25; i++) {
      long seed = BASE_SEED + i;
      Random r = new Random(seed);
      int n = Rand.between(r, 1, 40);
      int f = Rand.between(r, 1, 70);
      int o = Rand.between(r, 1, 35);
      check(
          n,
          f,
          o,
          r.nextBoolean(),
          r,
          "case " + i + " seed " + seed + " N=" + n + " F=" + f + " O=" + o);
    }
  }

  private static void check(int n, int f, int o, boolean bias, Random r, String context) {
    try (Twin t = new Twin()) {
      float[] xs = Rand.floats(r, n * f);
      float[] ws = Rand.floats(r, o * f);
      float[] bs = bias ? Rand.floats(r, o) : null;
      float[] dys = Rand.floats(r, n * o);
      Tensor[] x = t.upload(Shape.of(n, f), xs);
      Tensor[] w = t.upload(Shape.of(o, f), ws);
      Tensor[] b = bs == null ? null : t.upload(Shape.of(o), bs);
      Tensor[] dy = t.upload(Shape.of(n, o), dys);
      Tensor[] y = t.output(Shape.of(n, o));
      t.ref.denseForward(x[0], w[0], b == null ? null : b[0], y[0]);
      t.cl.denseForward(x[1], w[1], b == null ? null : b[1], y[1]);
      t.assertWithin("denseForward " + context, y, Tolerance.denseForward(xs, ws, bs, n, f));

      Tensor[] dx = t.output(Shape.of(n, f));
      t.ref.denseBackwardInput(dy[0], w[0], dx[0]);
      t.cl.denseBackwardInput(dy[1], w[1], dx[1]);
      t.assertWithin(
          "denseBackwardInput " + context, dx, Tolerance.denseBackwardInput(dys, ws, n, f));

      Tensor[] dw = t.output(Shape.of(o, f));
      t.ref.denseBackwardWeights(x[0], dy[0], dw[0]);
      t.cl.denseBackwardWeights(x[1], dy[1], dw[1]);
      t.assertWithin(
          "denseBackwardWeights " + context, dw, Tolerance.denseBackwardWeights(xs, dys, n, f));

      Tensor[] db = t.output(Shape.of(o));
      t.ref.biasBackward(dy[0], db[0]);
      t.cl.biasBackward(dy[1], db[1]);
      t.assertWithin("biasBackward (dense) " + context, db, Tolerance.biasBackward(dys, n, o));
    }
  }
}
