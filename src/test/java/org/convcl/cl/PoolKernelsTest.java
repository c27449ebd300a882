package org.convcl.cl;

import java.util.Random;
import org.convcl.impl.ShapeKey;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of opencl/maxpool.cl and avgpool.cl against the reference (RefOps) on seeded
 * random windows: overlapping (kernel > stride) and gapped (stride > kernel), padding, ceil mode.
 * Inputs take few distinct values so windows hold ties on purpose; argmax must match exactly.
 */
@Tag("opencl")
class PoolKernelsTest {
  private static final long BASE_SEED = 4_242L;
  private static final int CASES = 160;

  @Test
  void maxAndAveragePoolingMatchTheOracle() {
    for (int i = 0; i < CASES; i++) {
      long seed = BASE_SEED + i;
      PoolGeometry g = random(new Random(seed));
      check(g, seed, "case " + i + " seed " + seed + " " + g);
    }
  }

  static PoolGeometry random(Random r) {
    int kh = Rand.between(r, 1, 5);
    int kw = r.nextBoolean() ? kh : Rand.between(r, 1, 5);
    int sh = Rand.between(r, 1, 3);
    int sw = r.nextBoolean() ? sh : Rand.between(r, 1, 3);
    Padding pad =
        new Padding(
            r.nextInt(kh / 2 + 1),
            r.nextInt(kh / 2 + 1),
            r.nextInt(kw / 2 + 1),
            r.nextInt(kw / 2 + 1));
    PoolParams p = new PoolParams(kh, kw, sh, sw, pad, r.nextInt(3) == 0, r.nextBoolean());
    int h = kh + Rand.between(r, 0, 9);
    int w = kw + Rand.between(r, 0, 9);
    return PoolGeometry.of(Rand.between(r, 1, 3), Rand.between(r, 1, 5), h, w, p);
  }

  /** Values in {-1, -0.5, 0, 0.5, 1}: ties in most windows. */
  private static float[] tiedValues(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (r.nextInt(5) - 2) * 0.5f;
    }
    return a;
  }

  private static void check(PoolGeometry g, long seed, String context) {
    Random r = new Random(seed);
    try (Twin t = new Twin()) {
      Tensor[] x = t.upload(g.inputShape(), tiedValues(r, g.inputShape().size()));
      Tensor[] dy = t.upload(g.outputShape(), Rand.floats(r, g.outputShape().size()));
      Tensor[] y = t.output(g.outputShape());
      Tensor[] idx = t.outputInts(g.outputShape());
      t.ref.maxPoolForward(x[0], y[0], idx[0], g);
      t.cl.maxPoolForward(x[1], y[1], idx[1], g);
      t.assertClose("maxPoolForward " + context, y, Tolerance.EXACT);
      t.assertEqualInts("maxPoolForward argmax " + context, idx);
      checkEveryForward(t, x, y, idx, g, context);

      Tensor[] dx = t.output(g.inputShape());
      t.ref.maxPoolBackward(dy[0], idx[0], dx[0], g);
      t.cl.maxPoolBackward(dy[1], idx[1], dx[1], g);
      // Overlapping windows add up in float here and in double in the reference.
      t.assertClose("maxPoolBackward " + context, dx, Tolerance.AVG_POOL);
      for (PoolKernels.BackwardVariant v : PoolKernels.BackwardVariant.values()) {
        if (v == PoolKernels.BackwardVariant.V1_GATHER || PoolKernels.isDisjoint(g)) {
          t.poison(dx);
          t.cl.pooling().maxBackward(v, dy[1], idx[1], dx[1], g, null, null);
          t.assertClose("maxPoolBackward " + v + " " + context, dx, Tolerance.AVG_POOL);
        }
      }

      t.poison(y);
      t.ref.avgPoolForward(x[0], y[0], g);
      t.cl.avgPoolForward(x[1], y[1], g);
      t.assertClose("avgPoolForward " + context, y, Tolerance.AVG_POOL);

      t.poison(dx);
      t.ref.avgPoolBackward(dy[0], dx[0], g);
      t.cl.avgPoolBackward(dy[1], dx[1], g);
      t.assertClose("avgPoolBackward " + context, dx, Tolerance.AVG_POOL);
    }
  }

  /** Each forward version, on poisoned outputs, against the oracle's output (bits) and argmax. */
  private static void checkEveryForward(
      Twin t, Tensor[] x, Tensor[] y, Tensor[] idx, PoolGeometry g, String context) {
    for (PoolKernels.ForwardVariant v : PoolKernels.ForwardVariant.values()) {
      t.poison(y);
      t.poisonInts(idx);
      t.cl.pooling().maxForward(v, x[1], y[1], idx[1], g);
      // Bit for bit (a max copies a cell), which also holds for infinite and NaN winners.
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          t.ref.read(y[0]), t.cl.read(y[1]), "maxPoolForward " + v + " " + context);
      t.assertEqualInts("maxPoolForward " + v + " argmax " + context, idx);
    }
    // Every legal POOL_OW of maxpool_forward_v2 (one program build each, so one value per case,
    // by the geometry's hash: each value meets dozens of the random cases).
    java.util.List<Integer> legal = PoolKernels.OUTPUTS_PER_ITEM.legal();
    int perItem = legal.get(Math.floorMod(g.hashCode(), legal.size()));
    t.poison(y);
    t.poisonInts(idx);
    t.cl.pooling().maxForwardBlocked(perItem, x[1], y[1], idx[1], g);
    org.junit.jupiter.api.Assertions.assertArrayEquals(
        t.ref.read(y[0]), t.cl.read(y[1]), "maxPoolForward POOL_OW=" + perItem + " " + context);
    t.assertEqualInts("maxPoolForward POOL_OW=" + perItem + " argmax " + context, idx);
  }

  /**
   * POOL_OW is data: a table entry for maxPoolForward sets it, the exact shape key before {@code
   * *}, and an illegal value or another implementation's entry is passed over.
   */
  @Test
  void outputsPerItemComeFromTheChoiceTable() {
    PoolGeometry g = PoolGeometry.of(2, 3, 8, 8, PoolParams.of(2, 2));
    // A backend of its own: the shared one's table must not see these entries.
    try (ClOps ops = ClOps.open(ClTestSupport.ops().device())) {
      org.convcl.impl.ChoiceTable table = ops.registry().table();
      org.convcl.impl.DeviceKey key = ops.registry().deviceKey();
      table.put(entry(key, "*", PoolKernels.FORWARD_V2, "POOL_OW=4"));
      table.put(entry(key, ShapeKey.of(g), PoolKernels.FORWARD_V2, "POOL_OW=3"));
      org.junit.jupiter.api.Assertions.assertEquals(4, new PoolKernels(ops).outputsPerItem(g));
      table.put(entry(key, ShapeKey.of(g), PoolKernels.FORWARD_V2, "POOL_OW=2"));
      org.junit.jupiter.api.Assertions.assertEquals(2, new PoolKernels(ops).outputsPerItem(g));
      PoolGeometry other = PoolGeometry.of(2, 3, 9, 9, PoolParams.of(3, 3));
      org.junit.jupiter.api.Assertions.assertEquals(4, new PoolKernels(ops).outputsPerItem(other));
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class,
          () -> {
            try (Tensor x = ops.allocate(g.inputShape(), org.convcl.tensor.DType.FLOAT32);
                Tensor y = ops.allocate(g.outputShape(), org.convcl.tensor.DType.FLOAT32);
                Tensor i = ops.allocate(g.outputShape(), org.convcl.tensor.DType.INT32)) {
              ops.pooling().maxForwardBlocked(3, x, y, i, g);
            }
          });
    }
  }

  private static org.convcl.impl.TableEntry entry(
      org.convcl.impl.DeviceKey key, String shape, String impl, String settings) {
    return new org.convcl.impl.TableEntry(
        PoolKernels.FORWARD_PASS,
        shape,
        key.vendor(),
        key.architecture(),
        key.device(),
        key.driver(),
        key.type(),
        impl,
        settings,
        "",
        0);
  }

  /**
   * The winner rule of org.convcl.tensor.WindowMax in every forward version: the first maximum of a
   * tie wins, a NaN wins over every number and the first NaN over later ones, -inf windows keep
   * their first cell; odd widths leave a partial last column block; batch 1.
   */
  @Test
  void tiesNaNAndInfinitiesFollowTheWindowMaxRule() {
    float nan = Float.NaN;
    float inf = Float.NEGATIVE_INFINITY;
    // One 2x9 plane: windows 2x2 stride 2 over columns (0,1) (2,3) (4,5) (6,7) and, with padding on
    // the
    // right, (8).
    float[] plane = {
      1, 1, nan, 2, inf, inf, 3, nan, 5, //
      0, 1, 9, nan, inf, inf, nan, 3, 5
    };
    PoolParams p = new PoolParams(2, 2, 2, 2, new Padding(0, 0, 0, 1), false, false);
    PoolGeometry g = PoolGeometry.of(1, 1, 2, 9, p);
    try (Twin t = new Twin()) {
      Tensor[] x = t.upload(g.inputShape(), plane);
      Tensor[] y = t.output(g.outputShape());
      Tensor[] idx = t.outputInts(g.outputShape());
      t.ref.maxPoolForward(x[0], y[0], idx[0], g);
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          new int[] {0, 2, 4, 7, 8}, t.ref.readInts(idx[0]), "the oracle's winners");
      checkEveryForward(t, x, y, idx, g, "hand case " + g);
    }
  }
}
