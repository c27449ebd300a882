package org.convcl.cpu;

import org.convcl.ref.RefPool;
import org.convcl.tensor.PoolGeometry;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;

/**
 * The pooling comparison both NaiveDifferentialTest and LargeShapeTest make: all four pooling
 * passes of a CPU backend against the double-precision loops of RefPool, on the same input and
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

    RefPool.MaxPooled ref = RefPool.maxForward(xd, g);
    CpuRunner.MaxPool max = cpu.maxPoolForward(x, g);
    ArrayDiff.assertEqualInts("maxPool argmax " + ctx, g.outputShape(), ref.argmax(), max.argmax());
    ArrayDiff.assertClose(
        "maxPoolForward " + ctx, g.outputShape(), ref.output(), max.output(), 0, 0);
    ArrayDiff.assertClose(
        "maxPoolBackward " + ctx,
        g.inputShape(),
        RefPool.maxBackward(dyd, ref.argmax(), g),
        cpu.maxPoolBackward(dy, max.argmax(), g),
        1e-6,
        1e-6);

    ArrayDiff.assertClose(
        "avgPoolForward " + ctx,
        g.outputShape(),
        RefPool.avgForward(xd, g),
        cpu.avgPoolForward(x, g),
        1e-6,
        1e-6);
    ArrayDiff.assertClose(
        "avgPoolBackward " + ctx,
        g.inputShape(),
        RefPool.avgBackward(dyd, g),
        cpu.avgPoolBackward(dy, g),
        1e-6,
        1e-6);
  }
}
