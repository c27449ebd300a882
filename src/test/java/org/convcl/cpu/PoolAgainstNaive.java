package org.convcl.cpu;

import org.convcl.tensor.PoolGeometry;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.NaivePool;
import org.convcl.testutil.Numeric;

/**
 * The pooling comparison both NaiveDifferentialTest and LargeShapeTest make: all four pooling
 * passes of a CPU backend against the double-precision loops of NaivePool, on the same input and
 * gradOutput. Input x {@code [N][C][H][W]}, dy {@code [N][C][outH][outW]}.
 */
final class PoolAgainstNaive {
  private PoolAgainstNaive() {}

  /**
   * Max pool must match exactly (argmax and values: a maximum is a copy, never a rounding); the
   * sums of avg pool and of the overlapping max upsample within 1e-6 (at most 36 terms of magnitude
   * <= 1 per window in the callers' geometries).
   */
  static void assertAllPassesMatch(
      CpuRunner cpu, float[] x, float[] dy, PoolGeometry g, String ctx) {
    double[] xd = Numeric.toDouble(x);
    double[] dyd = Numeric.toDouble(dy);

    int[] arg = NaivePool.argmaxFlat(xd, g);
    CpuRunner.MaxPool max = cpu.maxPoolForward(x, g);
    ArrayDiff.assertEqualInts(
        "maxPool argmax " + ctx, g.outputShape(), NaivePool.argmaxInPlane(arg, g), max.argmax());
    ArrayDiff.assertClose(
        "maxPoolForward " + ctx, g.outputShape(), NaivePool.maxForward(xd, g), max.output(), 0, 0);
    ArrayDiff.assertClose(
        "maxPoolBackward " + ctx,
        g.inputShape(),
        NaivePool.maxBackward(dyd, arg, g),
        cpu.maxPoolBackward(dy, max.argmax(), g),
        1e-6,
        1e-6);

    ArrayDiff.assertClose(
        "avgPoolForward " + ctx,
        g.outputShape(),
        NaivePool.avgForward(xd, g),
        cpu.avgPoolForward(x, g),
        1e-6,
        1e-6);
    ArrayDiff.assertClose(
        "avgPoolBackward " + ctx,
        g.inputShape(),
        NaivePool.avgBackward(dyd, g),
        cpu.avgPoolBackward(dy, g),
        1e-6,
        1e-6);
  }
}
