package org.convcl.grad;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ops.Activation;
import org.convcl.ref.RefElementwise;
import org.convcl.ref.RefPool;
import org.convcl.tensor.PoolGeometry;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.FusedMaxPoolCase;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.convcl.testutil.RandomGeometry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite-difference check of the max-pool backward fused with the ReLU / leaky ReLU backward:
 * {@code L = <maxpool(f(x)), dy>}, differentiated in double through RefPool and RefElementwise, and
 * the fused op on every CPU backend given the pooled output of f(x).
 *
 * <p>Piecewise linear: the inputs are at least 0.01 apart and at least 0.003 from 0, so with h =
 * 1e-6 no step moves a window's maximum or crosses the kink, and the difference quotient is exact
 * up to ~1e-9. The gradient is a sum of at most 16 products of magnitude below 1: an absolute 1e-5
 * bounds CpuOps' float rounding.
 */
class FusedPoolGradientCheckTest extends CpuOpCheck {

  static LongStream seeds() {
    return LongStream.range(0, 20);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void fusedGradientMatchesFiniteDifferences(long seed) {
    for (Activation f : FusedMaxPoolCase.DERIVATIVES) {
      for (CpuRunner cpu : backends) {
        Random r = new Random(seed);
        PoolGeometry g = RandomGeometry.pool(r, 4, 7);
        String ctx = cpu.ops.name() + ", " + f + ", seed " + seed + ", " + g;
        float[] x = awayFromZero(Numeric.distinct(r, g.inputShape().size(), 0.01f));
        float[] dy = Rand.floats(r, g.outputShape().size());
        double[] dyd = Numeric.toDouble(dy);
        double[] gx =
            Numeric.centralDifference(
                v -> Numeric.dot(RefPool.maxForward(RefElementwise.forward(f, v), g).output(), dyd),
                Numeric.toDouble(x),
                H);
        float[] activated = new float[x.length];
        for (int i = 0; i < x.length; i++) {
          activated[i] = (float) RefElementwise.apply(f, x[i]);
        }
        CpuRunner.MaxPool fwd = cpu.maxPoolForward(activated, g);
        float[] fused = cpu.maxPoolBackward(dy, fwd.argmax(), g, f, fwd.output());
        ArrayDiff.assertClose("dL/dX " + ctx, g.inputShape(), gx, fused, 1e-5, 1e-5);
      }
    }
  }

  /** Moves values within 0.003 of 0 out to +-0.003 (the gap to others stays above 2h). */
  private static float[] awayFromZero(float[] x) {
    for (int i = 0; i < x.length; i++) {
      if (Math.abs(x[i]) < 0.003f) {
        x[i] = x[i] < 0 ? -0.003f : 0.003f;
      }
    }
    return x;
  }
}
