package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.convcl.ops.Activation;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of opencl/elementwise.cl, activation.cl and reduce.cl's sum against the
 * reference (RefOps).
 */
@Tag("opencl")
class ElementwiseKernelsTest {
  private static final Activation[] ACTIVATIONS = {
    Activation.RELU, Activation.leakyRelu(0.1f), Activation.TANH, Activation.SIGMOID
  };

  private static Shape randomShape(Random r) {
    return r.nextBoolean()
        ? Shape.of(Rand.between(r, 1, 9), Rand.between(r, 1, 300))
        : Shape.nchw(
            Rand.between(r, 1, 3),
            Rand.between(r, 1, 5),
            Rand.between(r, 1, 13),
            Rand.between(r, 1, 11));
  }

  @Test
  void activationsMatchTheOracle() {
    for (int i = 0; i < 12; i++) {
      long seed = 300 + i;
      Random r = new Random(seed);
      Shape s = randomShape(r);
      Activation f = ACTIVATIONS[i % ACTIVATIONS.length];
      String context = f.kind() + " seed " + seed + " " + s;
      try (Twin t = new Twin()) {
        float[] data = Rand.floats(r, s.size());
        for (int j = 0; j < data.length; j++) {
          data[j] *= 4; // reach the saturated parts of tanh and sigmoid
        }
        Tensor[] x = t.upload(s, data);
        Tensor[] y = t.output(s);
        Tensor[] dy = t.upload(s, Rand.floats(r, s.size()));
        Tensor[] dx = t.output(s);
        t.ref.activationForward(f, x[0], y[0]);
        t.cl.activationForward(f, x[1], y[1]);
        t.assertClose("activationForward " + context, y, Tolerance.TRANSCENDENTAL);
        // Feed both backward passes the oracle's forward output, so only the backward differs.
        t.cl.write(y[1], t.ref.read(y[0]));
        t.ref.activationBackward(f, x[0], y[0], dy[0], dx[0]);
        t.cl.activationBackward(f, x[1], y[1], dy[1], dx[1]);
        t.assertClose("activationBackward " + context, dx, Tolerance.ELEMENTWISE);
      }
    }
  }

  @Test
  void fillCopyMultiplyAndSumMatchTheOracle() {
    for (int i = 0; i < 10; i++) {
      long seed = 400 + i;
      Random r = new Random(seed);
      Shape s = randomShape(r);
      String context = "seed " + seed + " " + s;
      try (Twin t = new Twin()) {
        Tensor[] a = t.upload(s, Rand.floats(r, s.size()));
        Tensor[] b = t.upload(s, Rand.floats(r, s.size()));
        Tensor[] out = t.output(s);
        t.ref.multiply(a[0], b[0], out[0]);
        t.cl.multiply(a[1], b[1], out[1]);
        t.assertClose("multiply " + context, out, Tolerance.EXACT);
        t.poison(out);
        t.ref.copy(a[0], out[0]);
        t.cl.copy(a[1], out[1]);
        t.assertClose("copy " + context, out, Tolerance.EXACT);
        float v = r.nextFloat();
        t.ref.fill(out[0], v);
        t.cl.fill(out[1], v);
        t.assertClose("fill " + context, out, Tolerance.EXACT);
        double expected = t.ref.sum(a[0]);
        double actual = t.cl.sum(a[1]);
        assertEquals(
            expected,
            actual,
            Tolerance.SUM.atol() + Tolerance.SUM.rtol() * s.size(),
            "sum " + context);
        Tensor[] ints = t.uploadInts(s, Rand.ints(r, s.size(), 1000));
        Tensor[] intsOut = t.outputInts(s);
        t.ref.copy(ints[0], intsOut[0]);
        t.cl.copy(ints[1], intsOut[1]);
        t.assertEqualInts("copy ints " + context, intsOut);
      }
    }
  }

  @Test
  void dropoutMaskMatchesTheOracle() {
    float[] ps = {0f, 0.1f, 0.5f, 0.9f};
    for (int i = 0; i < 8; i++) {
      long seed = 500 + i;
      Random r = new Random(seed);
      Shape s = randomShape(r);
      float p = ps[i % ps.length];
      long dropSeed = r.nextLong(); // both halves of the 64-bit seed matter
      String context = "seed " + seed + " p " + p + " dropout seed " + dropSeed + " " + s;
      try (Twin t = new Twin()) {
        Tensor[] x = t.upload(s, Rand.floats(r, s.size()));
        Tensor[] y = t.output(s);
        Tensor[] mask = t.output(s);
        t.ref.dropoutForward(x[0], y[0], mask[0], p, dropSeed);
        t.cl.dropoutForward(x[1], y[1], mask[1], p, dropSeed);
        // The keep/drop decisions must agree exactly (a kept element differs from a dropped one
        // by 1/(1-p)); the kept value 1/(1-p) is rounded once from double in the reference and
        // twice in float on the device.
        t.assertClose("dropout mask " + context, mask, Tolerance.ELEMENTWISE);
        t.assertClose("dropout output " + context, y, Tolerance.ELEMENTWISE);
      }
    }
  }
}
