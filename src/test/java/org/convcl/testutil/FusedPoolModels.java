package org.convcl.testutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Random;
import org.convcl.nn.ActivationLayer;
import org.convcl.nn.Layer;
import org.convcl.nn.MaxPool2d;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * A model whose rectifiers feed max pools (their backward passes then run inside the pools')
 * against the same model with a {@code dropout0} between each rectifier and its pool, which blocks
 * the pairing and changes nothing else: dropout with p = 0 multiplies by exactly 1 both ways and
 * has no weights, so initialisation draws the same numbers. Logits and every parameter gradient
 * must agree.
 */
public final class FusedPoolModels {
  public static final Shape ITEM = Shape.of(2, 11, 11);

  private FusedPoolModels() {}

  /**
   * Builds {@code fusedSpec} and the same with {@code -dropout0} inserted before every maxpool,
   * checks which layers paired, runs one forward and backward on both and compares within {@code
   * tolerance} relative to each array's largest magnitude (0: equal values, the sign of a zero
   * aside).
   */
  public static void compare(Ops ops, String fusedSpec, long seed, float tolerance) {
    String blockedSpec = fusedSpec.replace("-maxpool", "-dropout0-maxpool");
    try (Sequential a = ModelSpec.build(ops, fusedSpec, ITEM, seed);
        Sequential b = ModelSpec.build(ops, blockedSpec, ITEM, seed)) {
      assertPaired(a, true, fusedSpec);
      assertPaired(b, false, blockedSpec);
      assertEquals(b.params().size(), a.params().size());
      Random r = new Random(seed);
      // The head starts at zero, which would send zero gradients below it: random weights in both.
      List<Param> wa = a.params();
      List<Param> wb = b.params();
      for (int i = 0; i < wa.size(); i++) {
        float[] w = Rand.floats(r, wa.get(i).value().shape().size());
        ops.write(wa.get(i).value(), w);
        ops.write(wb.get(i).value(), w);
      }
      Shape batch = Shape.of(3, ITEM.dim(0), ITEM.dim(1), ITEM.dim(2));
      try (Tensor in = ops.upload(batch, Rand.floats(r, batch.size()))) {
        Tensor la = a.forward(in, true);
        Tensor lb = b.forward(in, true);
        float[] logits = ops.read(la);
        assertClose(ops.read(lb), logits, tolerance, fusedSpec + " logits");
        try (Tensor g = ops.upload(la.shape(), Rand.floats(r, logits.length))) {
          a.backward(g);
          b.backward(g);
        }
        for (int i = 0; i < wa.size(); i++) {
          float[] expected = ops.read(wb.get(i).grad());
          assertEquals(true, maxAbs(expected) > 0, fusedSpec + " " + wa.get(i).name() + " is 0");
          assertClose(
              expected, ops.read(wa.get(i).grad()), tolerance, fusedSpec + " " + wa.get(i).name());
        }
      }
    }
  }

  /** Every max pool after a rectifier has (or, blocked, no max pool has) taken its backward. */
  private static void assertPaired(Sequential m, boolean paired, String spec) {
    List<Layer> l = m.layers();
    int pools = 0;
    for (int i = 0; i < l.size(); i++) {
      if (l.get(i) instanceof MaxPool2d pool) {
        pools++;
        if (paired) {
          assertNotNull(pool.fusedDerivative(), spec + " layer " + i);
          assertEquals(true, ((ActivationLayer) l.get(i - 1)).backwardInPool(), spec);
        } else {
          assertNull(pool.fusedDerivative(), spec + " layer " + i);
        }
      } else if (l.get(i) instanceof ActivationLayer act && !paired) {
        assertEquals(false, act.backwardInPool(), spec + " layer " + i);
      }
    }
    assertEquals(true, pools > 0, spec + " has max pools");
  }

  private static float maxAbs(float[] a) {
    float m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
    assertArrayEquals(expected, actual, tolerance * maxAbs(expected), what);
  }
}
