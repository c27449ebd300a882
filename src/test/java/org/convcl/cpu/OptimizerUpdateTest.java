package org.convcl.cpu;

import org.convcl.ops.AdamConfig;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two optimiser steps on the parameters w = [1, -2] with gradients g1 = [0.5, 0.25] then g2 =
 * [-0.25, 1], worked out by hand from the formulas in SgdConfig and AdamConfig. Floats represent
 * the decimal constants (0.9, 0.999, ...) only to ~1e-8 relative; the bias correction 1 - 0.999^2
 * amplifies that to ~1e-5 relative in a step of ~0.03, so atol 2e-6 is the honest bound.
 *
 * <p>Known answers and properties that trust no implementation: run on RefOps and on CpuOps.
 */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"ref", "cpu"})
class OptimizerUpdateTest {
  private static final Shape S = Shape.of(2);
  private static final float[] W = {1, -2};
  private static final float[] G1 = {0.5f, 0.25f};
  private static final float[] G2 = {-0.25f, 1f};
  private final CpuRunner cpu;

  OptimizerUpdateTest(String backend) {
    cpu = CpuRunner.of(backend);
  }

  @AfterEach
  void close() {
    cpu.close();
  }

  private void assertValues(String what, double[] expected, Tensor t) {
    ArrayDiff.assertClose(what, S, expected, cpu.ops.read(t), 2e-6, 1e-6);
  }

  @Test
  void plainSgdWithoutVelocity() {
    Tensor w = cpu.upload(S, W);
    cpu.ops.sgdUpdate(w, cpu.upload(S, G1), null, new SgdConfig(0.1f, 0f, false, 0f));
    // w - 0.1 g1 = [1 - 0.05, -2 - 0.025]
    assertValues("w after step 1", new double[] {0.95, -2.025}, w);
    cpu.ops.sgdUpdate(w, cpu.upload(S, G2), null, new SgdConfig(0.1f, 0f, false, 0f));
    // [0.95 + 0.025, -2.025 - 0.1]
    assertValues("w after step 2", new double[] {0.975, -2.125}, w);
  }

  @Test
  void sgdMomentumWithWeightDecay() {
    SgdConfig cfg = new SgdConfig(0.1f, 0.9f, false, 0.01f);
    Tensor w = cpu.upload(S, W);
    Tensor v = cpu.upload(S, new float[2]);
    cpu.ops.sgdUpdate(w, cpu.upload(S, G1), v, cfg);
    // g = g1 + 0.01 w = [0.51, 0.23]; v = g; w = w - 0.1 v = [0.949, -2.023]
    assertValues("v after step 1", new double[] {0.51, 0.23}, v);
    assertValues("w after step 1", new double[] {0.949, -2.023}, w);
    cpu.ops.sgdUpdate(w, cpu.upload(S, G2), v, cfg);
    // g = [-0.25 + 0.00949, 1 - 0.02023] = [-0.24051, 0.97977]
    // v = 0.9 [0.51, 0.23] + g = [0.21849, 1.18677]; w = w - 0.1 v = [0.927151, -2.141677]
    assertValues("v after step 2", new double[] {0.21849, 1.18677}, v);
    assertValues("w after step 2", new double[] {0.927151, -2.141677}, w);
  }

  @Test
  void sgdNesterov() {
    SgdConfig cfg = new SgdConfig(0.1f, 0.9f, true, 0.01f);
    Tensor w = cpu.upload(S, W);
    Tensor v = cpu.upload(S, new float[2]);
    cpu.ops.sgdUpdate(w, cpu.upload(S, G1), v, cfg);
    // g = [0.51, 0.23]; v = g; step = g + 0.9 v = 1.9 g = [0.969, 0.437]; w = [0.9031, -2.0437]
    assertValues("w after step 1", new double[] {0.9031, -2.0437}, w);
    cpu.ops.sgdUpdate(w, cpu.upload(S, G2), v, cfg);
    // g = [-0.25 + 0.009031, 1 - 0.020437] = [-0.240969, 0.979563]
    // v = [0.459, 0.207] + g = [0.218031, 1.186563]
    // step = g + 0.9 v = [-0.0447411, 2.0474697]; w = [0.90757411, -2.24844697]
    assertValues("v after step 2", new double[] {0.218031, 1.186563}, v);
    assertValues("w after step 2", new double[] {0.90757411, -2.24844697}, w);
  }

  @Test
  void adamWithBiasCorrection() {
    AdamConfig cfg = AdamConfig.defaults(0.1f); // beta1 0.9, beta2 0.999, epsilon 1e-8
    Tensor w = cpu.upload(S, W);
    Tensor m = cpu.upload(S, new float[2]);
    Tensor v = cpu.upload(S, new float[2]);
    cpu.ops.adamUpdate(w, cpu.upload(S, G1), m, v, cfg, 1);
    // m = 0.1 g1 = [0.05, 0.025]; v = 0.001 g1^2 = [0.00025, 0.0000625]
    // corrected: m / 0.1 = g1, v / 0.001 = g1^2, so the step is lr * g1 / |g1| = 0.1 sign(g1)
    assertValues("m after step 1", new double[] {0.05, 0.025}, m);
    assertValues("v after step 1", new double[] {0.00025, 0.0000625}, v);
    assertValues("w after step 1", new double[] {0.9, -2.1}, w);
    cpu.ops.adamUpdate(w, cpu.upload(S, G2), m, v, cfg, 2);
    // m = 0.9 m + 0.1 g2 = [0.045 - 0.025, 0.0225 + 0.1] = [0.02, 0.1225]
    // v = 0.999 v + 0.001 g2^2 = [0.00024975 + 0.0000625, 0.0000624375 + 0.001]
    //   = [0.00031225, 0.0010624375]
    // mhat = m / 0.19 = [0.1052632, 0.6447368]; vhat = v / 0.001999 = [0.1562031, 0.5314845]
    // w = w - 0.1 mhat / sqrt(vhat) = [0.9 - 0.0266337, -2.1 - 0.0884376]
    assertValues("m after step 2", new double[] {0.02, 0.1225}, m);
    assertValues("v after step 2", new double[] {0.00031225, 0.0010624375}, v);
    assertValues("w after step 2", new double[] {0.8733663, -2.1884376}, w);
  }

  @Test
  void adamWithWeightDecay() {
    AdamConfig cfg = new AdamConfig(0.1f, 0.9f, 0.999f, 1e-8f, 0.1f);
    Tensor w = cpu.upload(S, W);
    Tensor m = cpu.upload(S, new float[2]);
    Tensor v = cpu.upload(S, new float[2]);
    cpu.ops.adamUpdate(w, cpu.upload(S, G1), m, v, cfg, 1);
    // g = g1 + 0.1 w = [0.6, 0.05]: m = [0.06, 0.005], v = [0.00036, 0.0000025]; step 0.1 sign(g)
    assertValues("m after step 1", new double[] {0.06, 0.005}, m);
    assertValues("w after step 1", new double[] {0.9, -2.1}, w);
    cpu.ops.adamUpdate(w, cpu.upload(S, G2), m, v, cfg, 2);
    // g = [-0.25 + 0.09, 1 - 0.21] = [-0.16, 0.79]; m = [0.054 - 0.016, 0.0045 + 0.079]
    // = [0.038, 0.0835]; v = [0.00035964 + 0.0000256, 0.0000024975 + 0.0006241]
    // = [0.00038524, 0.0006265975]; mhat = [0.2, 0.4394737]; vhat = [0.1927164, 0.3134555]
    // w = [0.9 - 0.1 * 0.2 / 0.4389948, -2.1 - 0.1 * 0.4394737 / 0.5598710]
    assertValues("w after step 2", new double[] {0.85444137, -2.17849551}, w);
  }

  /**
   * A parameter two chunks past the size from which the CPU backend updates chunks of 8,192 on its
   * threads (65,536), and not a whole number of chunks, made of copies of the pair above: after two
   * steps of each optimiser every pair holds the bits the two-element parameter gets, so no chunk
   * is skipped, updated twice or given another's values.
   */
  @Test
  void aLargeParameterIsUpdatedAsItsPairs() {
    int n = (CpuOptim.PARALLEL_MIN + 2 * CpuOptim.CHUNK + 10) / 2;
    Shape big = Shape.of(2 * n);
    for (int optimiser = 0; optimiser < 2; optimiser++) {
      float[][] small = steps(optimiser, S, W, G1, G2);
      float[][] large = steps(optimiser, big, repeat(W, n), repeat(G1, n), repeat(G2, n));
      for (int t = 0; t < small.length; t++) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(
            repeat(small[t], n), large[t], (optimiser == 0 ? "sgd" : "adam") + " tensor " + t);
      }
    }
  }

  /** Two steps of Nesterov SGD with decay (0) or Adam with decay (1): the final w, v (and m). */
  private float[][] steps(int optimiser, Shape shape, float[] w0, float[] g1, float[] g2) {
    Tensor w = cpu.upload(shape, w0);
    Tensor v = cpu.upload(shape, new float[shape.size()]);
    if (optimiser == 0) {
      SgdConfig cfg = new SgdConfig(0.1f, 0.9f, true, 0.01f);
      cpu.ops.sgdUpdate(w, cpu.upload(shape, g1), v, cfg);
      cpu.ops.sgdUpdate(w, cpu.upload(shape, g2), v, cfg);
      return new float[][] {cpu.ops.read(w), cpu.ops.read(v)};
    }
    AdamConfig cfg = new AdamConfig(0.1f, 0.9f, 0.999f, 1e-8f, 0.1f);
    Tensor m = cpu.upload(shape, new float[shape.size()]);
    cpu.ops.adamUpdate(w, cpu.upload(shape, g1), m, v, cfg, 1);
    cpu.ops.adamUpdate(w, cpu.upload(shape, g2), m, v, cfg, 2);
    return new float[][] {cpu.ops.read(w), cpu.ops.read(m), cpu.ops.read(v)};
  }

  private static float[] repeat(float[] pair, int times) {
    float[] out = new float[pair.length * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(pair, 0, out, i * pair.length, pair.length);
    }
    return out;
  }
}
