package org.convcl.testutil;

import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.ref.RefConv;
import org.convcl.ref.RefPool;
import org.convcl.tensor.DType;
import org.convcl.tensor.Tensor;

/**
 * The fused convolution + max pool of one {@link ConvMaxPoolCase.Case} on a backend, and the
 * separate ops it stands for, on host arrays. Outputs are poisoned first (NaN, argmax -1), so a
 * cell an op forgets to write shows up.
 */
public final class ConvMaxPoolRun {
  private ConvMaxPoolRun() {}

  /** Pooled outputs and their argmax. */
  public record Pooled(float[] output, int[] argmax) {}

  /** Weight and bias gradients (bias null without one). */
  public record Grads(float[] weights, float[] bias) {}

  /** {@code convMaxPoolForward}; {@code b} null: no bias. */
  public static Pooled fused(
      Ops ops, ConvMaxPoolCase.Case c, float[] x, float[] w, float[] b, Activation f) {
    try (Tensor xt = ops.upload(c.conv().inputShape(), x);
        Tensor wt = ops.upload(c.conv().weightShape(), w);
        Tensor bt = b == null ? null : ops.upload(c.conv().biasShape(), b);
        Tensor pooled = poisoned(ops, c);
        Tensor argmax = poisonedArgmax(ops, c)) {
      ops.convMaxPoolForward(xt, wt, bt, pooled, argmax, c.conv(), f, c.pool());
      return new Pooled(ops.read(pooled), ops.readInts(argmax));
    }
  }

  /** {@code convForward} then {@code maxPoolForward}. */
  public static Pooled separate(
      Ops ops, ConvMaxPoolCase.Case c, float[] x, float[] w, float[] b, Activation f) {
    try (Tensor xt = ops.upload(c.conv().inputShape(), x);
        Tensor wt = ops.upload(c.conv().weightShape(), w);
        Tensor bt = b == null ? null : ops.upload(c.conv().biasShape(), b);
        Tensor y = ops.allocate(c.conv().outputShape(), DType.FLOAT32);
        Tensor pooled = poisoned(ops, c);
        Tensor argmax = poisonedArgmax(ops, c)) {
      ops.fill(y, Float.NaN);
      ops.convForward(xt, wt, bt, y, c.conv(), f);
      ops.maxPoolForward(y, pooled, argmax, c.pool());
      return new Pooled(ops.read(pooled), ops.readInts(argmax));
    }
  }

  /**
   * {@code convMaxPoolBackwardFilter} from the pooled gradient {@code dp}, with the forward's
   * {@code p}; {@code withBias}: a bias gradient too.
   */
  public static Grads fusedBackward(
      Ops ops,
      ConvMaxPoolCase.Case c,
      float[] x,
      float[] dp,
      Pooled p,
      Activation derivative,
      boolean withBias) {
    try (Tensor xt = ops.upload(c.conv().inputShape(), x);
        Tensor dpt = ops.upload(c.pool().outputShape(), dp);
        Tensor argmax = ops.uploadInts(c.pool().outputShape(), p.argmax());
        Tensor pooled = ops.upload(c.pool().outputShape(), p.output());
        Tensor gw = ops.allocate(c.conv().weightShape(), DType.FLOAT32);
        Tensor gb = withBias ? ops.allocate(c.conv().biasShape(), DType.FLOAT32) : null) {
      ops.fill(gw, Float.NaN);
      if (gb != null) {
        ops.fill(gb, Float.NaN);
      }
      ops.convMaxPoolBackwardFilter(
          xt, dpt, argmax, pooled, gw, gb, c.conv(), derivative, c.pool());
      return new Grads(ops.read(gw), gb == null ? null : ops.read(gb));
    }
  }

  /**
   * {@code maxPoolBackward} (with f'), then {@code convBackwardFilter} and {@code biasBackward}.
   */
  public static Grads separateBackward(
      Ops ops,
      ConvMaxPoolCase.Case c,
      float[] x,
      float[] dp,
      Pooled p,
      Activation derivative,
      boolean withBias) {
    try (Tensor xt = ops.upload(c.conv().inputShape(), x);
        Tensor dpt = ops.upload(c.pool().outputShape(), dp);
        Tensor argmax = ops.uploadInts(c.pool().outputShape(), p.argmax());
        Tensor pooled = ops.upload(c.pool().outputShape(), p.output());
        Tensor dy = ops.allocate(c.conv().outputShape(), DType.FLOAT32);
        Tensor gw = ops.allocate(c.conv().weightShape(), DType.FLOAT32);
        Tensor gb = ops.allocate(c.conv().biasShape(), DType.FLOAT32)) {
      ops.fill(gw, Float.NaN);
      ops.fill(gb, Float.NaN);
      ops.maxPoolBackward(dpt, argmax, dy, c.pool(), derivative, pooled);
      ops.convBackwardFilter(xt, dy, gw, c.conv());
      ops.biasBackward(dy, gb);
      return new Grads(ops.read(gw), withBias ? ops.read(gb) : null);
    }
  }

  /**
   * The upsampled gradient the fused backward stands for, in double: {@code dp[o] * f'(pooled[o])}
   * (each product in float, as the op multiplies; f null: dp) at each window's argmax.
   */
  public static double[] upsampledReference(
      ConvMaxPoolCase.Case c, float[] dp, Pooled p, Activation f) {
    float[] s = dp.clone();
    if (f != null) {
      float slope = f.kind() == Activation.Kind.LEAKY_RELU ? f.alpha() : 0f;
      for (int i = 0; i < s.length; i++) {
        s[i] = dp[i] * (p.output()[i] > 0 ? 1f : slope);
      }
    }
    return RefPool.maxBackward(Numeric.toDouble(s), p.argmax(), c.pool());
  }

  /**
   * The largest entry of the filter gradient's sums of magnitudes (the reference on |x| and |dy|):
   * the scale of the filter gradient's rounding.
   */
  public static double filterGradientScale(ConvMaxPoolCase.Case c, float[] x, double[] dy) {
    return Numeric.maxAbs(
        RefConv.backwardFilter(Numeric.abs(Numeric.toDouble(x)), Numeric.abs(dy), c.conv()));
  }

  private static Tensor poisoned(Ops ops, ConvMaxPoolCase.Case c) {
    Tensor t = ops.allocate(c.pool().outputShape(), DType.FLOAT32);
    ops.fill(t, Float.NaN);
    return t;
  }

  private static Tensor poisonedArgmax(Ops ops, ConvMaxPoolCase.Case c) {
    int[] minusOne = new int[c.pool().outputShape().size()];
    java.util.Arrays.fill(minusOne, -1);
    return ops.uploadInts(c.pool().outputShape(), minusOne);
  }
}
