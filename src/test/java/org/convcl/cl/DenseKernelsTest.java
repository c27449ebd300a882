package org.convcl.cl;

import java.util.Random;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of opencl/dense.cl (the tiled GEMM) against CpuOps; sizes not multiples of the
 * tile.
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
      Tensor[] x = t.upload(Shape.of(n, f), Rand.floats(r, n * f));
      Tensor[] w = t.upload(Shape.of(o, f), Rand.floats(r, o * f));
      Tensor[] b = bias ? t.upload(Shape.of(o), Rand.floats(r, o)) : null;
      Tensor[] dy = t.upload(Shape.of(n, o), Rand.floats(r, n * o));
      Tensor[] y = t.output(Shape.of(n, o));
      t.cpu.denseForward(x[0], w[0], b == null ? null : b[0], y[0]);
      t.cl.denseForward(x[1], w[1], b == null ? null : b[1], y[1]);
      t.assertClose("denseForward " + context, y, Tolerance.DENSE);

      Tensor[] dx = t.output(Shape.of(n, f));
      t.cpu.denseBackwardInput(dy[0], w[0], dx[0]);
      t.cl.denseBackwardInput(dy[1], w[1], dx[1]);
      t.assertClose("denseBackwardInput " + context, dx, Tolerance.DENSE);

      Tensor[] dw = t.output(Shape.of(o, f));
      t.cpu.denseBackwardWeights(x[0], dy[0], dw[0]);
      t.cl.denseBackwardWeights(x[1], dy[1], dw[1]);
      t.assertClose("denseBackwardWeights " + context, dw, Tolerance.DENSE);

      Tensor[] db = t.output(Shape.of(o));
      t.cpu.biasBackward(dy[0], db[0]);
      t.cl.biasBackward(dy[1], db[1]);
      t.assertClose("biasBackward (dense) " + context, db, Tolerance.BIAS_BACKWARD);
    }
  }
}
