package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ref.RefConv;
import org.convcl.ref.RefDense;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shapes large enough that CpuOps splits the work over its thread pool (the small random shapes of
 * {@link NaiveDifferentialTest} run on the calling thread): results must match the naive loops, and
 * must be bit-identical between one thread and four, since CpuOps promises that every sum is
 * computed by one thread in a fixed order.
 */
class LargeShapeTest {
  private final CpuRunner one = new CpuRunner(new CpuOps(1));
  private final CpuRunner four = new CpuRunner(new CpuOps(4));

  @AfterEach
  void close() {
    one.close();
    four.close();
  }

  static LongStream seeds() {
    return LongStream.range(0, 4);
  }

  private static ConvGeometry geometry(Random r) {
    int groups = 1 + r.nextInt(2);
    ConvParams p =
        new ConvParams(
            Rand.between(r, 1, 5),
            Rand.between(r, 1, 5),
            Rand.between(r, 1, 2),
            Rand.between(r, 1, 2),
            new Padding(r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3)),
            1,
            Rand.between(r, 1, 2),
            groups,
            true);
    return ConvGeometry.of(
        Rand.between(r, 2, 4), 8 * groups, Rand.between(r, 17, 24), Rand.between(r, 17, 24), 8, p);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void convOnTheThreadPool(long seed) {
    Random r = new Random(seed + 9000);
    ConvGeometry g = geometry(r);
    String ctx = "seed " + seed + ", " + g;
    float[] x = Rand.floats(r, g.inputShape().size());
    float[] w = Rand.floats(r, g.weightShape().size());
    float[] b = Rand.floats(r, g.k());
    float[] dy = Rand.floats(r, g.outputShape().size());
    double[] xd = Numeric.toDouble(x);
    double[] wd = Numeric.toDouble(w);
    double[] dyd = Numeric.toDouble(dy);

    float[] out = four.convForward(x, w, b, g);
    assertArrayEquals(one.convForward(x, w, b, g), out, "forward, 1 vs 4 threads, " + ctx);
    ArrayDiff.assertClose(
        "forward " + ctx,
        g.outputShape(),
        RefConv.forward(xd, wd, Numeric.toDouble(b), g),
        out,
        1e-4,
        1e-5);

    float[] gx = four.convBackwardInput(dy, w, g);
    assertArrayEquals(one.convBackwardInput(dy, w, g), gx, "gradInput, 1 vs 4 threads, " + ctx);
    ArrayDiff.assertClose(
        "gradInput " + ctx, g.inputShape(), RefConv.backwardInput(dyd, wd, g), gx, 1e-4, 1e-5);

    float[] gw = four.convBackwardFilter(x, dy, g);
    assertArrayEquals(one.convBackwardFilter(x, dy, g), gw, "gradWeights, 1 vs 4 threads, " + ctx);
    // gradWeights sums N*outH*outW <= 2300 products: float rounding up to ~1e-3 in the worst case
    ArrayDiff.assertClose(
        "gradWeights " + ctx, g.weightShape(), RefConv.backwardFilter(xd, dyd, g), gw, 1e-3, 1e-5);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void poolingOnTheThreadPool(long seed) {
    Random r = new Random(seed + 9100);
    PoolParams p = new PoolParams(3, 2, 2, 1, new Padding(1, 0, 1, 1), seed % 2 == 0, seed < 2);
    PoolGeometry g = PoolGeometry.of(4, 16, Rand.between(r, 30, 40), Rand.between(r, 30, 40), p);
    String ctx = "seed " + seed + ", " + g;
    float[] x = Rand.floats(r, g.inputShape().size());
    float[] dy = Rand.floats(r, g.outputShape().size());
    PoolAgainstNaive.assertAllPassesMatch(four, x, dy, g, ctx);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void denseOnTheThreadPool(long seed) {
    Random r = new Random(seed + 9200);
    int n = 64, f = Rand.between(r, 200, 300), o = Rand.between(r, 50, 70);
    String ctx = "seed " + seed + ", N=" + n + " F=" + f + " O=" + o;
    float[] x = Rand.floats(r, n * f);
    float[] w = Rand.floats(r, o * f);
    float[] dy = Rand.floats(r, n * o);
    float[] out = four.denseForward(x, w, null, n, f, o);
    assertArrayEquals(one.denseForward(x, w, null, n, f, o), out, "dense, 1 vs 4 threads, " + ctx);
    ArrayDiff.assertClose(
        "dense " + ctx,
        org.convcl.tensor.Shape.of(n, o),
        RefDense.forward(Numeric.toDouble(x), Numeric.toDouble(w), null, n, f),
        out,
        1e-4,
        1e-5);
    float[] gw = four.denseBackwardWeights(x, dy, n, f, o);
    assertArrayEquals(
        one.denseBackwardWeights(x, dy, n, f, o), gw, "dense gradWeights, 1 vs 4, " + ctx);
    float[] gx = four.denseBackwardInput(dy, w, n, f, o);
    assertArrayEquals(
        one.denseBackwardInput(dy, w, n, f, o), gx, "dense gradInput, 1 vs 4, " + ctx);
  }
}
