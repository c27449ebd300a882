package org.convcl.nn;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;

/**
 * Central-difference gradient checks of one layer: with a fixed random upstream gradient u, the
 * scalar {@code f = sum(u * layer(x))} has {@code df/dx = backward(u)} and {@code df/dtheta =
 * grad}. Each checked coordinate is moved by +-eps and f re-evaluated in double on the host.
 */
final class GradCheck {
  private static final double EPS = 1e-3;
  private static final double ATOL = 2e-3;
  private static final double RTOL = 2e-2;
  private static final int SAMPLES = 24;

  private GradCheck() {}

  /** Checks input and parameter gradients of {@code layer} on a random batch of {@code shape}. */
  static void check(Ops ops, Layer layer, Shape batchShape, long seed, boolean checkInput) {
    check(ops, layer, batchShape, seed, checkInput, false);
  }

  /**
   * With {@code distinct}, the inputs are a shuffled ladder of values 0.01 apart, so no max-pool
   * window holds two values within eps of each other (a kink central differences cannot see).
   */
  static void check(
      Ops ops, Layer layer, Shape batchShape, long seed, boolean checkInput, boolean distinct) {
    Random r = new Random(seed);
    layer.build(ops, Shapes.item(batchShape), WeightInit.XAVIER, r);
    // Give biases and batch norm's gamma/beta non-trivial values, so their gradients matter.
    for (Param p : layer.params()) {
      ops.write(p.value(), Rand.floats(r, p.value().shape().size()));
    }
    float[] x = distinct ? ladder(r, batchShape.size()) : Rand.floats(r, batchShape.size());
    try (Tensor input = ops.upload(batchShape, x)) {
      Tensor y = layer.forward(ops, input, true);
      float[] u = Rand.floats(r, y.shape().size());
      try (Tensor gradOut = ops.upload(y.shape(), u)) {
        Tensor gi = layer.backward(ops, gradOut);
        String ctx = layer.spec() + " " + batchShape + " seed " + seed;
        if (checkInput) {
          float[] analytic = ops.read(gi);
          compare(
              ctx + " gradInput", analytic, x, v -> ops.write(input, v), ops, layer, input, u, r);
        }
        for (Param p : layer.params()) {
          float[] analytic = ops.read(p.grad());
          float[] w = ops.read(p.value());
          compare(
              ctx + " " + p.name(),
              analytic,
              w,
              v -> ops.write(p.value(), v),
              ops,
              layer,
              input,
              u,
              r);
        }
      }
    }
  }

  interface Writer {
    void write(float[] values);
  }

  private static void compare(
      String ctx,
      float[] analytic,
      float[] values,
      Writer writer,
      Ops ops,
      Layer layer,
      Tensor input,
      float[] u,
      Random r) {
    List<Integer> idx = sample(values.length, r);
    StringBuilder bad = new StringBuilder();
    for (int i : idx) {
      float saved = values[i];
      values[i] = (float) (saved + EPS);
      writer.write(values);
      double plus = objective(ops, layer, input, u);
      values[i] = (float) (saved - EPS);
      writer.write(values);
      double minus = objective(ops, layer, input, u);
      values[i] = saved;
      writer.write(values);
      double numeric = (plus - minus) / (2 * EPS);
      if (Math.abs(analytic[i] - numeric) > ATOL + RTOL * Math.abs(numeric)) {
        bad.append(String.format("%n  [%d] analytic %.6f numeric %.6f", i, analytic[i], numeric));
      }
    }
    if (bad.length() > 0) {
      fail(ctx + ": gradient differs from central differences" + bad);
    }
  }

  private static double objective(Ops ops, Layer layer, Tensor input, float[] u) {
    float[] y = ops.read(layer.forward(ops, input, true));
    double f = 0;
    for (int i = 0; i < y.length; i++) {
      f += (double) u[i] * y[i];
    }
    return f;
  }

  private static float[] ladder(Random r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i - n / 2) * 0.01f;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      float t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  private static List<Integer> sample(int n, Random r) {
    if (n <= SAMPLES) {
      return java.util.stream.IntStream.range(0, n).boxed().toList();
    }
    return r.ints(SAMPLES, 0, n).boxed().toList();
  }
}
