package org.convcl.cl;

import org.convcl.ops.Activation;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.FusedMaxPoolCase;
import org.convcl.testutil.FusedPoolModels;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * opencl/maxpool.cl's backward kernels with the fused ReLU / leaky ReLU derivative: through ClOps
 * against the reference and the unfused sequence (see {@link FusedMaxPoolCase}), and each backward
 * version on NaN-poisoned outputs against the reference's fused op; and a model using it.
 */
@Tag("opencl")
class FusedMaxPoolBackwardKernelsTest {
  private static final int CASES = 120;

  @Test
  void clOpsMatchesTheReferenceAndTheUnfusedSequence() {
    ClOps cl = ClTestSupport.ops();
    for (long seed = 0; seed < CASES; seed++) {
      for (Activation f : FusedMaxPoolCase.DERIVATIVES) {
        FusedMaxPoolCase.check(cl, ClTestSupport.ref(), seed, f);
      }
    }
  }

  /**
   * A model whose rectifiers feed max pools against the same model with the pairing blocked, both
   * on OpenCL. Leaky ReLU under overlapping windows sums dy*alpha instead of multiplying the sum:
   * one float rounding per cell, carried through conv and batch-norm gradients, far below 1e-5.
   */
  @Test
  void pairedModelMatchesTheBlockedOne() {
    FusedPoolModels.compare(
        ClTestSupport.ops(),
        "conv3x3x4p1-relu-maxpool2-conv3x3x4p1-lrelu0.1-maxpool3s2p1-conv1x1x3-bn-relu-maxpool2-dense3",
        7,
        1e-5f);
  }

  @Test
  void everyBackwardVersionAppliesTheDerivative() {
    for (long seed = 0; seed < CASES / 2; seed++) {
      PoolGeometry g = FusedMaxPoolCase.geometry(seed);
      java.util.Random r = new java.util.Random(seed);
      for (Activation f : FusedMaxPoolCase.DERIVATIVES) {
        try (Twin t = new Twin()) {
          // Pooled values below, at and above 0; argmax from the oracle's forward.
          Tensor[] x = t.upload(g.inputShape(), Rand.floats(r, g.inputShape().size()));
          Tensor[] a = t.output(g.inputShape());
          Tensor[] y = t.output(g.outputShape());
          Tensor[] idx = t.outputInts(g.outputShape());
          Tensor[] dy = t.upload(g.outputShape(), Rand.floats(r, g.outputShape().size()));
          Tensor[] dx = t.output(g.inputShape());
          t.ref.activationForward(f, x[0], a[0]);
          t.cl.activationForward(f, x[1], a[1]);
          t.ref.maxPoolForward(a[0], y[0], idx[0], g);
          t.cl.maxPoolForward(a[1], y[1], idx[1], g);
          t.assertEqualInts("argmax " + g, idx);
          t.ref.maxPoolBackward(dy[0], idx[0], dx[0], g, f, y[0]);
          for (PoolKernels.BackwardVariant v : PoolKernels.BackwardVariant.values()) {
            if (v == PoolKernels.BackwardVariant.V1_GATHER || PoolKernels.isDisjoint(g)) {
              t.poison(dx);
              t.cl.pooling().maxBackward(v, dy[1], idx[1], dx[1], g, f, y[1]);
              // Sums of at most 16 float products versus double: see Tolerance.AVG_POOL.
              t.assertClose(
                  "fused maxPoolBackward " + v + " " + f + " seed " + seed + " " + g,
                  dx,
                  Tolerance.AVG_POOL);
            }
          }
        }
      }
    }
  }
}
