package org.convcl.grad;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.ref.RefConv;
import org.convcl.ref.RefElementwise;
import org.convcl.ref.RefOps;
import org.convcl.ref.RefPool;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.WindowIndex;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.ConvMaxPoolCase;
import org.convcl.testutil.ConvMaxPoolCase.Case;
import org.convcl.testutil.ConvMaxPoolRun;
import org.convcl.testutil.ConvMaxPoolRun.Grads;
import org.convcl.testutil.ConvMaxPoolRun.Pooled;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The filter and bias gradients of the fused convolution + max pool ({@code
 * Ops.convMaxPoolBackwardFilter}), on the reference backend (the separate ops in turn) and on a
 * CpuOps that fuses every case ({@link ConvMaxPoolCase#fusingCpu}):
 *
 * <ul>
 *   <li>against central differences of {@code L(w, b) = <maxpool(f(conv(x; w, b))), dP>}, evaluated
 *       in double by RefConv, RefElementwise and RefPool. L is piecewise linear in w and b; the
 *       inputs are redrawn until every window's largest pre-activation is 1e-3 from the next and
 *       from 0, so a step of h = 1e-6 (moving any output by at most h * sum |x| < 1e-4) never
 *       changes a window's winner or crosses the kink, and the difference is exact up to rounding
 *       (1e-16 |L| / h). What remains is the backend's float rounding: an entry is a sum of m
 *       products, off by about sqrt(m) u S (S the sum of |products|, u = 6e-8): 1e-5 S, as in
 *       ConvGradientCheckTest.
 *   <li>as the adjoint of the forward's linear part at its winners: {@code <f'(y) * select(conv(x;
 *       v)), dP> = <v, convMaxPoolBackwardFilter(dP)>} for random v, each side a rearrangement of
 *       the same products: within 1e-5 of their absolute sum (AdjointTest's bound).
 * </ul>
 */
class ConvMaxPoolGradientCheckTest {
  private static final double H = 1e-6;
  private static final double GAP = 1e-3;

  private final List<CpuRunner> backends =
      List.of(new CpuRunner(new RefOps()), new CpuRunner(ConvMaxPoolCase.fusingCpu(2)));

  @AfterEach
  void closeRunners() {
    backends.forEach(CpuRunner::close);
  }

  static LongStream seeds() {
    return LongStream.range(0, 24);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void gradientsMatchCentralDifferences(long seed) {
    Case c = ConvMaxPoolCase.draw(seed + 900, 8);
    ConvGeometry g = c.conv();
    Activation f = ConvMaxPoolCase.EPILOGUES[(int) (seed % 3)];
    Random r = new Random(seed);
    double[][] xwb = separatedInputs(r, c, f);
    double[] xd = xwb[0];
    double[] wd = xwb[1];
    double[] bd = xwb[2];
    float[] dp = Rand.floats(r, c.pool().outputShape().size());
    double[] dpd = Numeric.toDouble(dp);
    double[] gw = Numeric.centralDifference(v -> Numeric.dot(pooled(c, xd, v, bd, f), dpd), wd, H);
    double[] gb = Numeric.centralDifference(v -> Numeric.dot(pooled(c, xd, wd, v, f), dpd), bd, H);
    float[] x = toFloat(xd);
    for (CpuRunner backend : backends) {
      Ops ops = backend.ops;
      String ctx = ops.name() + ", seed " + seed + ", " + f + ", " + c;
      Pooled p = ConvMaxPoolRun.fused(ops, c, x, toFloat(wd), toFloat(bd), f);
      Grads grads = ConvMaxPoolRun.fusedBackward(ops, c, x, dp, p, f, true);
      double[] dy = RefPool.maxBackward(Numeric.abs(dpd), p.argmax(), c.pool());
      double scale = Numeric.maxAbs(RefConv.backwardFilter(Numeric.abs(xd), dy, g));
      ArrayDiff.assertClose(
          "dL/dW " + ctx, g.weightShape(), gw, grads.weights(), 1e-5 * scale, 1e-5);
      double bscale = Numeric.maxAbs(RefConv.backwardBias(dy, g.n(), g.k()));
      ArrayDiff.assertClose("dL/db " + ctx, g.biasShape(), gb, grads.bias(), 1e-5 * bscale, 1e-5);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void filterGradientIsTheAdjointOfTheForwardAtItsWinners(long seed) {
    Case c = ConvMaxPoolCase.draw(seed + 2000, 12);
    ConvGeometry g = c.conv();
    Activation f = ConvMaxPoolCase.EPILOGUES[(int) (seed % 3)];
    for (CpuRunner backend : backends) {
      Ops ops = backend.ops;
      String ctx = ops.name() + ", seed " + seed + ", " + f + ", " + c;
      Random r = new Random(seed);
      float[] x = Rand.floats(r, g.inputShape().size());
      float[] w = Rand.floats(r, g.weightShape().size());
      float[] v = Rand.floats(r, g.weightShape().size());
      float[] dp = Rand.floats(r, c.pool().outputShape().size());
      Pooled p = ConvMaxPoolRun.fused(ops, c, x, w, null, f);
      float[] conv = backend.convForward(x, v, null, g);
      double[] absConv =
          RefConv.forward(
              Numeric.abs(Numeric.toDouble(x)), Numeric.abs(Numeric.toDouble(v)), null, g);
      double forward = 0;
      double sumAbs = 0;
      int planeIn = c.pool().h() * c.pool().w();
      int planeOut = c.pool().outH() * c.pool().outW();
      float slope = f != null && f.kind() == Activation.Kind.LEAKY_RELU ? f.alpha() : 0f;
      for (int o = 0; o < dp.length; o++) {
        int cell = o / planeOut * planeIn + p.argmax()[o];
        double derivative = f == null || p.output()[o] > 0 ? 1 : slope;
        forward += derivative * conv[cell] * dp[o];
        sumAbs += Math.abs(derivative * absConv[cell] * dp[o]);
      }
      Grads grads = ConvMaxPoolRun.fusedBackward(ops, c, x, dp, p, f, false);
      double viaFilter = Numeric.dot(v, grads.weights());
      AdjointTest.assertAdjoint(
          "<f' select(conv(x;v)), dP> vs <v, convMaxPoolBackwardFilter(dP)>, " + ctx,
          forward,
          viaFilter,
          sumAbs);
    }
  }

  /**
   * x, w and b, redrawn until every pool window's largest pre-activation lies {@link #GAP} from the
   * next one and from 0 (see the class comment).
   */
  private static double[][] separatedInputs(Random r, Case c, Activation f) {
    ConvGeometry g = c.conv();
    for (int attempt = 0; attempt < 200; attempt++) {
      double[] x = Numeric.toDouble(Rand.floats(r, g.inputShape().size()));
      double[] w = Numeric.toDouble(Rand.floats(r, g.weightShape().size()));
      double[] b = Numeric.toDouble(Rand.floats(r, g.k()));
      if (separated(RefConv.forward(x, w, b, g), c.pool())) {
        return new double[][] {x, w, b};
      }
    }
    return Assertions.fail("no inputs with separated window maxima for " + c + ", " + f);
  }

  /**
   * Whether each window's largest real cell is GAP from 0 and from the window's next one, or equal
   * to them.
   */
  private static boolean separated(double[] y, PoolGeometry pool) {
    PoolParams p = pool.params();
    for (int plane = 0; plane < pool.n() * pool.c(); plane++) {
      for (int oh = 0; oh < pool.outH(); oh++) {
        for (int ow = 0; ow < pool.outW(); ow++) {
          int h0 = WindowIndex.start(oh, p.strideH(), p.padding().top());
          int w0 = WindowIndex.start(ow, p.strideW(), p.padding().left());
          double top = Double.NEGATIVE_INFINITY;
          double next = Double.NEGATIVE_INFINITY;
          for (int ih = Math.max(h0, 0); ih < Math.min(h0 + p.kernelH(), pool.h()); ih++) {
            for (int iw = Math.max(w0, 0); iw < Math.min(w0 + p.kernelW(), pool.w()); iw++) {
              double v = y[(plane * pool.h() + ih) * pool.w() + iw];
              next = Math.max(next, Math.min(top, v));
              top = Math.max(top, v);
            }
          }
          // Exact equals are cells that read only padding (each the bias, or 0 without one):
          // they move together, or not at all, under any step.
          if (Math.abs(top) < GAP && top != 0 || top - next < GAP && top != next) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** maxpool(f(conv(x; w, b))) in double. */
  private static double[] pooled(Case c, double[] x, double[] w, double[] b, Activation f) {
    double[] y = RefConv.forward(x, w, b, c.conv());
    if (f != null) {
      y = RefElementwise.forward(f, y);
    }
    return RefPool.maxForward(y, c.pool()).output();
  }

  private static float[] toFloat(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }
}
