package org.convcl.cpu;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ref.RefConv;
import org.convcl.ref.RefPool;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.WindowIndex;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.convcl.testutil.RandomGeometry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CpuOps against the naive double-precision loops of {@link RefConv} and {@link RefPool} on random
 * seeded geometries (see {@link RandomGeometry}; {@code GeometryCoverageTest} proves the seeds
 * cover every feature). A failure names the seed and the geometry.
 *
 * <p>Tolerance: a float sum of m terms is off by at most m*u*S and typically sqrt(m)*u*S, where u =
 * 6e-8 and S is the sum of the terms' absolute values; here m <= 363, so 1e-5*S leaves a wide
 * margin, while a misplaced or missing tap changes a result by a whole term.
 */
class NaiveDifferentialTest {
  private final CpuRunner cpu = new CpuRunner();

  @AfterEach
  void close() {
    cpu.close();
  }

  static LongStream convSeeds() {
    return LongStream.range(0, 120);
  }

  static LongStream poolSeeds() {
    return LongStream.range(1000, 1100);
  }

  @ParameterizedTest(name = "conv seed {0}")
  @MethodSource("convSeeds")
  void convMatchesNaiveLoops(long seed) {
    Random r = new Random(seed);
    ConvGeometry g = RandomGeometry.conv(r, 7);
    String ctx = "seed " + seed + ", " + g;
    float[] x = Rand.floats(r, g.inputShape().size());
    float[] w = Rand.floats(r, g.weightShape().size());
    float[] b = g.params().bias() ? Rand.floats(r, g.k()) : null;
    float[] dy = Rand.floats(r, g.outputShape().size());
    double[] xd = Numeric.toDouble(x);
    double[] wd = Numeric.toDouble(w);
    double[] dyd = Numeric.toDouble(dy);

    double[] out = RefConv.forward(xd, wd, b == null ? null : Numeric.toDouble(b), g);
    double scale = Numeric.maxAbs(RefConv.forward(Numeric.abs(xd), Numeric.abs(wd), null, g));
    ArrayDiff.assertClose(
        "convForward " + ctx, g.outputShape(), out, cpu.convForward(x, w, b, g), tol(scale), 1e-6);

    double[] gx = RefConv.backwardInput(dyd, wd, g);
    scale = Numeric.maxAbs(RefConv.backwardInput(Numeric.abs(dyd), Numeric.abs(wd), g));
    ArrayDiff.assertClose(
        "convBackwardInput " + ctx,
        g.inputShape(),
        gx,
        cpu.convBackwardInput(dy, w, g),
        tol(scale),
        1e-6);

    double[] gw = RefConv.backwardFilter(xd, dyd, g);
    scale = Numeric.maxAbs(RefConv.backwardFilter(Numeric.abs(xd), Numeric.abs(dyd), g));
    ArrayDiff.assertClose(
        "convBackwardFilter " + ctx,
        g.weightShape(),
        gw,
        cpu.convBackwardFilter(x, dy, g),
        tol(scale),
        1e-6);

    double[] gb = RefConv.backwardBias(dyd, g.n(), g.k());
    ArrayDiff.assertClose(
        "biasBackward " + ctx,
        g.biasShape(),
        gb,
        cpu.biasBackward(dy, g.outputShape()),
        tol(g.n() * g.outH() * g.outW()),
        1e-6);
  }

  @ParameterizedTest(name = "pool seed {0}")
  @MethodSource("poolSeeds")
  void poolingMatchesNaiveLoops(long seed) {
    Random r = new Random(seed);
    PoolGeometry g = RandomGeometry.pool(r, 6);
    String ctx = "seed " + seed + ", " + g;
    // Every other seed draws small negative integers: many ties (first maximum must win) and a
    // window partly in the padding must still return a negative maximum (padding never wins).
    float[] x =
        seed % 2 == 0
            ? negativeInts(r, g.inputShape().size())
            : Rand.floats(r, g.inputShape().size());
    float[] dy = Rand.floats(r, g.outputShape().size());
    PoolAgainstNaive.assertAllPassesMatch(cpu, x, dy, g, ctx);
  }

  @ParameterizedTest(name = "pool seed {0}")
  @MethodSource("poolSeeds")
  void maxPoolBackwardWithArgmaxFromNaiveMatches(long seed) {
    // The upsample must follow the argmax it is given, not recompute one: any real cell of each
    // window (the op rejects cells outside the window).
    Random r = new Random(seed);
    PoolGeometry g = RandomGeometry.pool(r, 6);
    int[] arg = new int[g.outputShape().size()];
    for (int o = 0; o < arg.length; o++) {
      int oh = (o / g.outW()) % g.outH();
      int ow = o % g.outW();
      arg[o] = randomCell(r, g, oh, ow);
    }
    float[] dy = Rand.floats(r, arg.length);
    int plane = g.h() * g.w();
    double[] expected = new double[g.inputShape().size()];
    int outPlane = g.outH() * g.outW();
    for (int o = 0; o < arg.length; o++) {
      expected[(o / outPlane) * plane + arg[o]] += dy[o];
    }
    ArrayDiff.assertClose(
        "maxPoolBackward (arbitrary argmax) seed " + seed + ", " + g,
        g.inputShape(),
        expected,
        cpu.maxPoolBackward(dy, arg, g),
        1e-6,
        1e-6);
  }

  /** A random real (not padding) cell {@code ih*W + iw} of window (oh, ow). */
  private static int randomCell(Random r, PoolGeometry g, int oh, int ow) {
    PoolParams p = g.params();
    int h0 = WindowIndex.start(oh, p.strideH(), p.padding().top());
    int w0 = WindowIndex.start(ow, p.strideW(), p.padding().left());
    int ih = pick(r, Math.max(h0, 0), Math.min(h0 + p.kernelH(), g.h()));
    int iw = pick(r, Math.max(w0, 0), Math.min(w0 + p.kernelW(), g.w()));
    return ih * g.w() + iw;
  }

  private static int pick(Random r, int lo, int hi) {
    return lo + r.nextInt(hi - lo);
  }

  private static double tol(double scale) {
    return 1e-5 * Math.max(1, scale);
  }

  private static float[] negativeInts(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = -1 - r.nextInt(4);
    }
    return a;
  }
}
