package org.convcl.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.convcl.cpu.CpuOps;
import org.convcl.ops.Ops;
import org.convcl.ref.RefOps;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A conv or dense layer followed by ReLU (or leaky ReLU with a slope of at least 0) applies it in
 * its own forward op; the activation layer then passes the output on and back-propagates from it.
 * The same model with a flatten between the producer and the activation cannot fuse, and has the
 * same weights (flatten has none, so initialisation draws the same numbers): logits and every
 * gradient must be identical, bit for bit, since the fused epilogue applies the same function to
 * the same sums.
 */
class FusedActivationTest {
  private static final Shape ITEM = Shape.of(2, 9, 9);

  @Test
  void fusesExactlyTheRectifiersThatFollowAProducer() {
    try (Ops ops = new CpuOps();
        Sequential m =
            ModelSpec.build(
                ops,
                "conv3x3x4-relu-conv3x3x4-tanh-maxpool2-relu-dense5-lrelu0.1-dense3",
                ITEM,
                1)) {
      List<Layer> l = m.layers();
      assertEquals(true, ((ActivationLayer) l.get(1)).fused(), "conv-relu");
      assertEquals(false, ((ActivationLayer) l.get(3)).fused(), "tanh is not derivable from y");
      assertEquals(false, ((ActivationLayer) l.get(5)).fused(), "after pooling: no producer");
      assertEquals(true, ((ActivationLayer) l.get(7)).fused(), "dense-lrelu0.1");
    }
  }

  @Test
  void fusedModelMatchesTheUnfusedOneOnCpu() {
    try (Ops ops = new CpuOps()) {
      compare(
          ops,
          "conv3x3x4-relu-dense6-relu-dense3",
          "conv3x3x4-flatten-relu-dense6-flatten-relu-dense3",
          5,
          0);
    }
  }

  @Test
  void fusedModelMatchesTheUnfusedOneOnTheReference() {
    try (Ops ops = new RefOps()) {
      compare(
          ops,
          "conv3x3x4p1-lrelu0.1-dense6-relu-dense3",
          "conv3x3x4p1-flatten-lrelu0.1-dense6-flatten-relu-dense3",
          6,
          REF_TOLERANCE);
    }
  }

  /**
   * The reference stores every op's result as a float: fused, the activation sees the conv's sum in
   * double and is rounded once; unfused, the sum is rounded, then the leaky product rounded again.
   * One float rounding (2^-24 relative) per element, carried through two small dense layers, stays
   * well below this relative difference.
   */
  private static final float REF_TOLERANCE = 1e-5f;

  /**
   * {@code fusedSpec} against {@code unfusedSpec}, the same with a flatten before each activation,
   * within {@code tolerance} relative to each array's largest magnitude (0: bit for bit).
   */
  private static void compare(
      Ops ops, String fusedSpec, String unfusedSpec, long seed, float tolerance) {
    try (Sequential a = ModelSpec.build(ops, fusedSpec, ITEM, seed);
        Sequential b = ModelSpec.build(ops, unfusedSpec, ITEM, seed)) {
      assertEquals(true, ((ActivationLayer) a.layers().get(1)).fused(), fusedSpec);
      assertEquals(false, ((ActivationLayer) b.layers().get(2)).fused(), unfusedSpec);
      Random r = new Random(seed);
      // The head starts at zero, which would send zero gradients below it: random weights in both.
      for (int i = 0; i < a.params().size(); i++) {
        float[] w = new float[a.params().get(i).value().shape().size()];
        for (int j = 0; j < w.length; j++) {
          w[j] = r.nextFloat() - 0.5f;
        }
        ops.write(a.params().get(i).value(), w);
        ops.write(b.params().get(i).value(), w);
      }
      float[] x = new float[3 * ITEM.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextFloat() * 2 - 1;
      }
      try (Tensor in = ops.upload(Shapes.batch(3, ITEM), x)) {
        Tensor la = a.forward(in, true);
        Tensor lb = b.forward(in, true);
        float[] logits = ops.read(la);
        assertClose(ops.read(lb), logits, tolerance, fusedSpec + " logits");
        float[] dy = new float[logits.length];
        for (int i = 0; i < dy.length; i++) {
          dy[i] = r.nextFloat() - 0.5f;
        }
        try (Tensor g = ops.upload(la.shape(), dy)) {
          a.backward(g);
          b.backward(g);
        }
        List<Param> pa = a.params();
        List<Param> pb = b.params();
        assertEquals(pa.size(), pb.size());
        for (int i = 0; i < pa.size(); i++) {
          float[] expected = ops.read(pb.get(i).grad());
          float largest = 0;
          for (float v : expected) {
            largest = Math.max(largest, Math.abs(v));
          }
          assertTrue(largest > 0, pa.get(i).name() + " gradient is all zeros");
          assertClose(
              ops.read(pb.get(i).grad()), ops.read(pa.get(i).grad()), tolerance, pa.get(i).name());
        }
      }
    }
  }

  private static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
    if (tolerance == 0) {
      assertArrayEquals(expected, actual, what);
      return;
    }
    float scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    assertArrayEquals(expected, actual, tolerance * scale, what);
  }
}
