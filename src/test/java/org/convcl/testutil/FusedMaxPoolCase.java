package org.convcl.testutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Tensor;

/**
 * One seeded case of the fused max-pool backward ({@code Ops.maxPoolBackward} with a derivative),
 * run on any backend: pre-activation values x from {-1, -0.5, 0, 0.5, 1} plus small noise on half
 * of the cells (so windows hold ties and pooled values below, at and above 0), activated on the
 * backend under test, pooled, then the gradient fused on a NaN-poisoned gradInput. Checked against
 * the reference backend's fused op on the same activated input, and against the backend's own
 * unfused sequence maxPoolBackward then activationBackward (which reads the sign of x itself).
 */
public final class FusedMaxPoolCase {
  /** ReLU and leaky ReLU with slope 0.1: the functions derivable from their output. */
  public static final Activation[] DERIVATIVES = {Activation.RELU, Activation.leakyRelu(0.1f)};

  /**
   * The fused result in float against the reference in double: each cell is a float sum of at most
   * (kernel/stride)^2 <= 16 products dy*f' with |dy| < 1, each product rounded once (exact for f' =
   * 1 or 0): within 16 * 2u + u of the double sum, below 1e-6 absolute; the bound below leaves room
   * for an accumulation order a device may choose.
   */
  private static final double ATOL = 1e-5;

  private static final double RTOL = 1e-5;

  /**
   * The fused op against the unfused sequence where they are not bit-equal (leaky ReLU under
   * overlapping windows): sum(dy*alpha) versus alpha*sum(dy), a few float roundings of numbers
   * below 16 in magnitude.
   */
  private static final double SEQUENCE_ATOL = 1e-5;

  private FusedMaxPoolCase() {}

  /** The geometry of {@code seed}: overlapping and gapped windows, padding, ceil mode, batch 1. */
  public static PoolGeometry geometry(long seed) {
    return RandomGeometry.pool(new Random(seed), 4, 11);
  }

  /** Runs the case of {@code seed} with derivative {@code f} on {@code ops} against {@code ref}. */
  public static void check(Ops ops, Ops ref, long seed, Activation f) {
    PoolGeometry g = geometry(seed);
    String context = "seed " + seed + " " + f + " " + g;
    Random r = new Random(seed * 31 + 7);
    float[] x = preActivations(r, g.inputShape().size());
    float[] dy = Rand.floats(r, g.outputShape().size());
    try (Tensor xt = ops.upload(g.inputShape(), x);
        Tensor a = ops.allocate(g.inputShape(), DType.FLOAT32);
        Tensor y = ops.allocate(g.outputShape(), DType.FLOAT32);
        Tensor idx = ops.allocate(g.outputShape(), DType.INT32);
        Tensor dyt = ops.upload(g.outputShape(), dy);
        Tensor dx = ops.allocate(g.inputShape(), DType.FLOAT32);
        Tensor pooledGrad = ops.allocate(g.inputShape(), DType.FLOAT32);
        Tensor sequence = ops.allocate(g.inputShape(), DType.FLOAT32)) {
      ops.activationForward(f, xt, a);
      ops.maxPoolForward(a, y, idx, g);
      ops.fill(dx, Float.NaN);
      ops.maxPoolBackward(dyt, idx, dx, g, f, y);
      float[] fused = ops.read(dx);

      double[] expected = reference(ref, g, ops.read(a), ops.readInts(idx), dy, f);
      ArrayDiff.assertClose(
          "fused maxPoolBackward " + context, g.inputShape(), expected, fused, ATOL, RTOL);

      ops.fill(pooledGrad, Float.NaN);
      ops.fill(sequence, Float.NaN);
      ops.maxPoolBackward(dyt, idx, pooledGrad, g);
      ops.activationBackward(f, xt, a, pooledGrad, sequence);
      float[] unfused = ops.read(sequence);
      if (bitEqualToSequence(g, f)) {
        // Each cell is a sum of dy * 1 terms or 0s in the same order both ways: equal values (the
        // sign of a zero may differ: 0 + (-0) is +0, while (0 + dy) * 0 is -0 for dy < 0).
        assertArrayEquals(
            unfused, fused, 0f, "fused vs maxPoolBackward + activationBackward " + context);
      } else {
        ArrayDiff.assertClose(
            "fused vs maxPoolBackward + activationBackward " + context,
            g.inputShape(),
            unfused,
            fused,
            SEQUENCE_ATOL,
            RTOL);
      }
    }
  }

  /**
   * ReLU's f' is 1 or 0, so a product is exact and summing then multiplying gives the same value;
   * leaky ReLU's only where no cell gathers two windows' gradients (stride >= kernel).
   */
  private static boolean bitEqualToSequence(PoolGeometry g, Activation f) {
    boolean disjoint =
        g.params().strideH() >= g.params().kernelH()
            && g.params().strideW() >= g.params().kernelW();
    return f.kind() == Activation.Kind.RELU || disjoint;
  }

  /** The reference backend's fused op on the activated input and the argmax of the backend. */
  private static double[] reference(
      Ops ref, PoolGeometry g, float[] activated, int[] argmax, float[] dy, Activation f) {
    try (Tensor a = ref.upload(g.inputShape(), activated);
        Tensor y = ref.allocate(g.outputShape(), DType.FLOAT32);
        Tensor idx = ref.allocate(g.outputShape(), DType.INT32);
        Tensor refIdx = ref.uploadInts(g.outputShape(), argmax);
        Tensor dyt = ref.upload(g.outputShape(), dy);
        Tensor dx = ref.allocate(g.inputShape(), DType.FLOAT32)) {
      ref.maxPoolForward(a, y, idx, g);
      assertArrayEquals(ref.readInts(idx), argmax, "argmax " + g);
      ref.maxPoolBackward(dyt, refIdx, dx, g, f, y);
      return Numeric.toDouble(ref.read(dx));
    }
  }

  /** Tied levels around 0 (half of the cells) and small noise on the others. */
  private static float[] preActivations(Random r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      float level = (r.nextInt(5) - 2) * 0.5f;
      x[i] = r.nextBoolean() ? level : level + (r.nextFloat() - 0.5f) * 0.1f;
    }
    return x;
  }
}
