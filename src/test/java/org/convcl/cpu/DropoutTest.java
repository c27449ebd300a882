package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.convcl.ops.CounterRandom;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inverted dropout: a deterministic mask per seed, values 0 or 1/(1-p), about 1-p kept.
 *
 * <p>Known answers and properties that trust no implementation: run on RefOps and on CpuOps.
 */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"ref", "cpu"})
class DropoutTest {
  private static final Shape S = Shape.of(200, 500); // 100 000 elements
  private final CpuRunner cpu;

  DropoutTest(String backend) {
    cpu = CpuRunner.of(backend);
  }

  @AfterEach
  void close() {
    cpu.close();
  }

  private float[][] run(float[] x, float p, long seed) {
    Tensor out = cpu.poisoned(S);
    Tensor mask = cpu.poisoned(S);
    cpu.ops.dropoutForward(cpu.upload(S, x), out, mask, p, seed);
    return new float[][] {cpu.ops.read(out), cpu.ops.read(mask)};
  }

  @ParameterizedTest(name = "p={0}, seed {1}")
  @CsvSource({"0.1, 1", "0.5, 2", "0.5, 3", "0.8, 4", "0.25, -9223372036854775807"})
  void maskFollowsTheCounterRuleAndScalesKeptValues(float p, long seed) {
    float[] x = Rand.floats(new Random(seed), S.size());
    float[][] r = run(x, p, seed);
    float keep = 1f / (1f - p);
    int kept = 0;
    for (int i = 0; i < x.length; i++) {
      boolean k = CounterRandom.uniform(seed, i) >= p;
      String at = "p " + p + ", seed " + seed + ", element " + i;
      assertEquals(k ? keep : 0f, r[1][i], 1e-6f * keep, at);
      assertEquals(x[i] * r[1][i], r[0][i], 1e-6f * keep, at);
      kept += k ? 1 : 0;
    }
    // the kept count is binomial: sd = sqrt(n p (1-p)) <= 158 of 100 000; allow 1% (> 6 sd)
    double fraction = kept / (double) x.length;
    assertEquals(1 - p, fraction, 0.01, "kept fraction for p " + p + ", seed " + seed);
  }

  @Test
  void sameSeedSameMaskOtherSeedOtherMask() {
    float[] x = Rand.floats(new Random(5), S.size());
    float[] a = run(x, 0.5f, 42)[1];
    float[] b = run(x, 0.5f, 42)[1];
    float[] c = run(x, 0.5f, 43)[1];
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c), "seeds 42 and 43 gave the same mask");
  }

  @Test
  void probabilityZeroKeepsEverything() {
    float[] x = Rand.floats(new Random(6), S.size());
    float[][] r = run(x, 0f, 7);
    assertArrayEquals(x, r[0]);
    for (float m : r[1]) {
      assertTrue(m == 1f, "mask value " + m + " for p = 0");
    }
  }

  @Test
  void backwardMultipliesByTheMask() {
    Random r = new Random(8);
    float[] a = Rand.floats(r, S.size());
    float[] b = Rand.floats(r, S.size());
    Tensor out = cpu.poisoned(S);
    cpu.ops.multiply(cpu.upload(S, a), cpu.upload(S, b), out);
    float[] got = cpu.ops.read(out);
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i] * b[i], got[i], "element " + i);
    }
  }
}
