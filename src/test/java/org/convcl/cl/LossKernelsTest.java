package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of opencl/softmax_xent.cl against the reference (RefOps) (the fused op, the
 * plain softmax, its backward pass, argmax), bad labels and ties included.
 */
@Tag("opencl")
class LossKernelsTest {
  @Test
  void softmaxCrossEntropySoftmaxAndArgmaxMatchTheOracle() {
    for (int i = 0; i < 12; i++) {
      long seed = 600 + i;
      Random r = new Random(seed);
      int n = Rand.between(r, 1, 33);
      int k = Rand.between(r, 1, 20);
      int[] labels = Rand.ints(r, n, k);
      if (i % 3 == 0) {
        labels[r.nextInt(n)] = r.nextBoolean() ? k : -1; // an out-of-range label: NaN row
      }
      float[] z = Rand.floats(r, n * k);
      for (int j = 0; j < z.length; j++) {
        z[j] = i % 2 == 0 ? Math.round(z[j] * 2) * 5f : z[j] * 10; // ties and large logits
      }
      String context = "seed " + seed + " N=" + n + " K=" + k;
      Shape s = Shape.of(n, k);
      try (Twin t = new Twin()) {
        Tensor[] logits = t.upload(s, z);
        Tensor[] lab = t.uploadInts(Shape.of(n), labels);
        Tensor[] probs = t.output(s);
        Tensor[] losses = t.output(Shape.of(n));
        t.ref.softmaxCrossEntropyForward(logits[0], lab[0], probs[0], losses[0]);
        t.cl.softmaxCrossEntropyForward(logits[1], lab[1], probs[1], losses[1]);
        t.assertClose("softmax probs " + context, probs, Tolerance.SOFTMAX);
        t.assertClose("softmax losses " + context, losses, Tolerance.SOFTMAX);
        Tensor[] plain = t.output(s); // NaN-poisoned on the device
        t.ref.softmaxForward(logits[0], plain[0]);
        t.cl.softmaxForward(logits[1], plain[1]);
        t.assertClose("softmaxForward " + context, plain, Tolerance.SOFTMAX);
        // one row function (softmax_row) serves both kernels: bit-equal probabilities
        assertArrayEquals(
            t.cl.read(probs[1]), t.cl.read(plain[1]), "shared softmax_row " + context);
        t.cl.write(probs[1], t.ref.read(probs[0])); // the backward pass alone
        Tensor[] grad = t.output(s);
        t.ref.softmaxCrossEntropyBackward(probs[0], lab[0], 1f / n, grad[0]);
        t.cl.softmaxCrossEntropyBackward(probs[1], lab[1], 1f / n, grad[1]);
        t.assertClose("softmax backward " + context, grad, Tolerance.ELEMENTWISE);
        Tensor[] arg = t.outputInts(Shape.of(n));
        t.ref.argmaxRows(logits[0], arg[0]);
        t.cl.argmaxRows(logits[1], arg[1]);
        t.assertEqualInts("argmaxRows " + context, arg);
      }
    }
  }
}
