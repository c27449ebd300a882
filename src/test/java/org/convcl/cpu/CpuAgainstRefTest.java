package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.convcl.ops.Activation;
import org.convcl.ops.AdamConfig;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.ops.SgdConfig;
import org.convcl.ref.RefDense;
import org.convcl.ref.RefOps;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CpuOps against the reference backend (RefOps) for every op family but convolution and pooling
 * (those are {@link NaiveDifferentialTest}'s): dense layers, activations, softmax cross-entropy
 * (bad labels included), row argmax (ties included), dropout, batch normalisation in both modes,
 * SGD (momentum, Nesterov, weight decay) and Adam, on seeded random sizes. Each op runs on both
 * backends from the same host arrays; a failure names the seed and the sizes.
 *
 * <p>Tolerances: CpuOps computes element-wise ops in float (a few roundings of u = 6e-8 each: 1e-6
 * relative is ~16 u) and sums in double with float products; a float-rounded sum of T <= 70 dense
 * terms errs by at most T u S (S = the sum of |terms|) = 4.2e-6 S, so 1e-5 S is a worst-case bound.
 * Batch norm and softmax work in double on both backends: only the final rounding differs.
 */
class CpuAgainstRefTest {
  private final CpuRunner ref = new CpuRunner(new RefOps());
  private final CpuRunner cpu = new CpuRunner(new CpuOps(2));

  @AfterEach
  void close() {
    ref.close();
    cpu.close();
  }

  static LongStream seeds() {
    return LongStream.range(0, 30);
  }

  /** Runs {@code op} on both backends and compares each of its outputs. */
  private void compare(String ctx, double atol, double rtol, Function<CpuRunner, float[][]> op) {
    float[][] expected = op.apply(ref);
    float[][] actual = op.apply(cpu);
    for (int i = 0; i < expected.length; i++) {
      ArrayDiff.assertClose(
          ctx + ", output " + i, Shape.of(expected[i].length), expected[i], actual[i], atol, rtol);
    }
  }

  @ParameterizedTest(name = "dense seed {0}")
  @MethodSource("seeds")
  void dense(long seed) {
    Random r = new Random(seed);
    int n = Rand.between(r, 1, 6);
    int f = Rand.between(r, 1, 70);
    int o = Rand.between(r, 1, 20);
    String ctx = "seed " + seed + ", N=" + n + " F=" + f + " O=" + o;
    float[] x = Rand.floats(r, n * f);
    float[] w = Rand.floats(r, o * f);
    float[] b = r.nextBoolean() ? Rand.floats(r, o) : null;
    float[] dy = Rand.floats(r, n * o);
    double s =
        Numeric.maxAbs(RefDense.forward(Numeric.abs(Numeric.toDouble(x)), abs(w), null, n, f));
    double atol = 1e-5 * Math.max(1, s);
    compare("denseForward " + ctx, atol, 0, c -> new float[][] {c.denseForward(x, w, b, n, f, o)});
    compare(
        "denseBackwardInput " + ctx,
        1e-5 * Math.max(1, o),
        0,
        c -> new float[][] {c.denseBackwardInput(dy, w, n, f, o)});
    compare(
        "denseBackwardWeights " + ctx,
        1e-5 * Math.max(1, n),
        0,
        c -> new float[][] {c.denseBackwardWeights(x, dy, n, f, o)});
    compare(
        "biasBackward " + ctx,
        1e-5 * Math.max(1, n),
        0,
        c -> new float[][] {c.biasBackward(dy, Shape.of(n, o))});
  }

  private static double[] abs(float[] a) {
    return Numeric.abs(Numeric.toDouble(a));
  }

  @ParameterizedTest(name = "activation seed {0}")
  @MethodSource("seeds")
  void activations(long seed) {
    Random r = new Random(seed);
    Shape s = Shape.of(Rand.between(r, 1, 4), Rand.between(r, 1, 50));
    float[] x = Rand.floats(r, s.size());
    for (int i = 0; i < x.length; i += 7) {
      x[i] = 0; // the kink of ReLU: derivative 0 on both backends
    }
    float[] dy = Rand.floats(r, s.size());
    for (Activation f :
        new Activation[] {
          Activation.RELU, Activation.leakyRelu(0.1f), Activation.TANH, Activation.SIGMOID
        }) {
      compare(
          f + ", seed " + seed + ", " + s,
          1e-6,
          1e-6,
          c -> {
            Tensor in = c.upload(s, x);
            Tensor out = c.poisoned(s);
            c.ops.activationForward(f, in, out);
            // both backward passes get the reference's forward output, so only the backward differs
            Tensor y = c.upload(s, ref == c ? c.ops.read(out) : refForward(f, s, x));
            Tensor dx = c.poisoned(s);
            c.ops.activationBackward(f, in, y, c.upload(s, dy), dx);
            return new float[][] {c.ops.read(out), c.ops.read(dx)};
          });
    }
  }

  private float[] refForward(Activation f, Shape s, float[] x) {
    Tensor out = ref.poisoned(s);
    ref.ops.activationForward(f, ref.upload(s, x), out);
    return ref.ops.read(out);
  }

  @ParameterizedTest(name = "softmax seed {0}")
  @MethodSource("seeds")
  void softmaxCrossEntropyAndArgmax(long seed) {
    Random r = new Random(seed);
    int n = Rand.between(r, 1, 6);
    int k = Rand.between(r, 1, 12);
    String ctx = "seed " + seed + ", N=" + n + " K=" + k;
    float[] z = Rand.floats(r, n * k);
    for (int i = 0; i < z.length; i++) {
      z[i] = seed % 3 == 0 ? r.nextInt(3) : z[i] * 30; // ties, or large logits
    }
    int[] labels = Rand.ints(r, n, k);
    labels[0] = seed % 4 == 1 ? k : seed % 4 == 2 ? -1 : labels[0]; // a bad label: NaN row
    float scale = 1f / n;
    compare(
        "softmaxCrossEntropy " + ctx,
        1e-7,
        1e-6,
        c -> {
          Tensor logits = c.upload(Shape.of(n, k), z);
          Tensor lab = c.uploadInts(Shape.of(n), labels);
          Tensor probs = c.poisoned(Shape.of(n, k));
          Tensor losses = c.poisoned(Shape.of(n));
          Tensor plain = c.poisoned(Shape.of(n, k));
          Tensor grad = c.poisoned(Shape.of(n, k));
          c.ops.softmaxCrossEntropyForward(logits, lab, probs, losses);
          c.ops.softmaxForward(logits, plain);
          c.ops.softmaxCrossEntropyBackward(probs, lab, scale, grad);
          return new float[][] {
            c.ops.read(probs), c.ops.read(losses), c.ops.read(plain), c.ops.read(grad)
          };
        });
    int[][] arg = new int[2][];
    CpuRunner[] both = {ref, cpu};
    for (int b = 0; b < 2; b++) {
      Tensor out = both[b].poisonedInts(Shape.of(n));
      both[b].ops.argmaxRows(both[b].upload(Shape.of(n, k), z), out);
      arg[b] = both[b].ops.readInts(out);
    }
    ArrayDiff.assertEqualInts("argmaxRows " + ctx, Shape.of(n), arg[0], arg[1]);
  }

  @ParameterizedTest(name = "dropout seed {0}")
  @MethodSource("seeds")
  void dropoutAndSum(long seed) {
    Random r = new Random(seed);
    Shape s = Shape.of(Rand.between(r, 1, 300));
    float p = new float[] {0f, 0.1f, 0.5f, 0.9f}[(int) (seed % 4)];
    long dropSeed = r.nextLong();
    float[] x = Rand.floats(r, s.size());
    // the keep decisions must agree exactly: a kept mask entry is 1/(1-p), a dropped one 0
    compare(
        "dropout seed " + seed + " p " + p + " " + s,
        1e-6,
        1e-6,
        c -> {
          Tensor out = c.poisoned(s);
          Tensor mask = c.poisoned(s);
          c.ops.dropoutForward(c.upload(s, x), out, mask, p, dropSeed);
          return new float[][] {c.ops.read(out), c.ops.read(mask)};
        });
    assertEquals(ref.ops.sum(ref.upload(s, x)), cpu.ops.sum(cpu.upload(s, x)), "sum " + s);
  }

  @ParameterizedTest(name = "batch norm seed {0}")
  @MethodSource("seeds")
  void batchNorm(long seed) {
    Random r = new Random(seed);
    int n = Rand.between(r, 2, 4);
    int c = Rand.between(r, 1, 4);
    Shape s = seed % 2 == 0 ? Shape.nchw(n, c, Rand.between(r, 1, 5), 3) : Shape.of(n, c);
    Shape cs = Shape.of(c);
    float[] x = Rand.floats(r, s.size());
    float[] dy = Rand.floats(r, s.size());
    float[] gamma = Rand.floats(r, c);
    float[] beta = Rand.floats(r, c);
    float[] runMean = Rand.floats(r, c);
    float[] runVar = new float[c];
    java.util.Arrays.fill(runVar, 0.5f);
    boolean training = seed % 3 != 0;
    compare(
        "batchNorm seed " + seed + " " + s + (training ? " training" : " inference"),
        1e-5,
        1e-5,
        b -> {
          Tensor in = b.upload(s, x);
          Tensor g = b.upload(cs, gamma);
          Tensor mean = b.upload(cs, runMean);
          Tensor var = b.upload(cs, runVar);
          Tensor saveMean = b.poisoned(cs);
          Tensor saveInvStd = b.poisoned(cs);
          Tensor out = b.poisoned(s);
          b.ops.batchNormForward(
              in,
              out,
              BatchNormTensors.forForward(g, b.upload(cs, beta), mean, var, saveMean, saveInvStd),
              BatchNormConfig.DEFAULT,
              training);
          if (!training) {
            return new float[][] {b.ops.read(out)};
          }
          Tensor dx = b.poisoned(s);
          Tensor dGamma = b.poisoned(cs);
          Tensor dBeta = b.poisoned(cs);
          b.ops.batchNormBackward(
              in,
              b.upload(s, dy),
              dx,
              BatchNormTensors.forBackward(g, saveMean, saveInvStd, dGamma, dBeta));
          return new float[][] {
            b.ops.read(out),
            b.ops.read(saveMean),
            b.ops.read(saveInvStd),
            b.ops.read(mean),
            b.ops.read(var),
            b.ops.read(dx),
            b.ops.read(dGamma),
            b.ops.read(dBeta)
          };
        });
  }

  @ParameterizedTest(name = "optimizer seed {0}")
  @MethodSource("seeds")
  void optimizerSteps(long seed) {
    Random r = new Random(seed);
    Shape s = Shape.of(Rand.between(r, 1, 100));
    float[] w0 = Rand.floats(r, s.size());
    float[] grad = Rand.floats(r, s.size());
    float[] vel0 = Rand.floats(r, s.size());
    float[] secondMoments = new float[s.size()];
    for (int i = 0; i < secondMoments.length; i++) {
      secondMoments[i] = vel0[i] * vel0[i];
    }
    float mu = new float[] {0f, 0.9f}[(int) (seed % 2)];
    SgdConfig sgd = new SgdConfig(0.05f, mu, mu > 0 && seed % 4 == 1, seed % 3 == 0 ? 1e-2f : 0f);
    AdamConfig adam = new AdamConfig(1e-2f, 0.9f, 0.999f, 1e-8f, seed % 3 == 1 ? 1e-2f : 0f);
    int step = 1 + (int) (seed % 5);
    compare(
        "optimizers seed " + seed + " " + sgd + " " + adam + " t=" + step,
        1e-6,
        1e-5,
        c -> {
          Tensor w = c.upload(s, w0);
          Tensor v = c.upload(s, vel0);
          c.ops.sgdUpdate(w, c.upload(s, grad), v, sgd);
          Tensor w2 = c.upload(s, w0);
          Tensor m = c.upload(s, vel0);
          Tensor vv = c.upload(s, secondMoments);
          c.ops.adamUpdate(w2, c.upload(s, grad), m, vv, adam, step);
          return new float[][] {
            c.ops.read(w), c.ops.read(v), c.ops.read(w2), c.ops.read(m), c.ops.read(vv)
          };
        });
  }
}
