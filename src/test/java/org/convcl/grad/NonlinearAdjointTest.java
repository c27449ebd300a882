package org.convcl.grad;

import static org.convcl.grad.AdjointTest.assertAdjoint;

import java.util.Random;
import java.util.stream.LongStream;
import org.convcl.ops.Activation;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.ops.Ops;
import org.convcl.ref.RefLoss;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Numeric;
import org.convcl.testutil.Rand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adjoint identities for the backward ops of non-linear or broadcasting forwards: each backward op
 * must apply the transpose of the forward's Jacobian J at the forward point, so for random v and u
 * {@code <J v, u> = <v, backward(u)>}. J v (the forward-mode derivative) is written here in double
 * from the formulas of docs/math.md, independently of the backend; the backward side runs on
 * CpuOps. The bias and dropout forwards are linear (broadcast, mask multiply), so there J is the
 * forward itself. Tolerance as in {@link AdjointTest}: 1e-5 of the sum of the absolute terms.
 */
class NonlinearAdjointTest extends CpuOpCheck {

  static LongStream seeds() {
    return LongStream.range(0, 20);
  }

  private static final Activation[] ACTIVATIONS = {
    Activation.RELU, Activation.leakyRelu(0.1f), Activation.TANH, Activation.SIGMOID
  };

  /** f'(x) from x, independently of the backend's form in terms of y. */
  private static double derivative(Activation f, double x) {
    return switch (f.kind()) {
      case RELU -> x > 0 ? 1 : 0;
      case LEAKY_RELU -> x > 0 ? 1 : f.alpha();
      case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
      case SIGMOID -> Math.exp(-x) / ((1 + Math.exp(-x)) * (1 + Math.exp(-x)));
    };
  }

  @ParameterizedTest(name = "activation seed {0}")
  @MethodSource("seeds")
  void activationBackwardIsTheTransposeOfItsLinearization(long seed) {
    for (CpuRunner cpu : backends) {
      Ops ops = cpu.ops;
      Random r = new Random(seed + 9000);
      Activation f = ACTIVATIONS[(int) (seed % ACTIVATIONS.length)];
      Shape s = Shape.of(Rand.between(r, 1, 4), Rand.between(r, 1, 30));
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", " + f + ", " + s;
      float[] x = Rand.floats(r, s.size());
      float[] v = Rand.floats(r, s.size());
      float[] u = Rand.floats(r, s.size());
      Tensor xt = cpu.upload(s, x);
      Tensor y = cpu.poisoned(s);
      ops.activationForward(f, xt, y);
      Tensor gradInput = cpu.poisoned(s);
      ops.activationBackward(f, xt, y, cpu.upload(s, u), gradInput);

      double jvu = 0;
      double sumAbs = 0;
      for (int i = 0; i < x.length; i++) {
        double term = derivative(f, x[i]) * v[i] * u[i];
        jvu += term;
        sumAbs += Math.abs(term);
      }
      double vJtu = Numeric.dot(v, ops.read(gradInput));
      assertAdjoint("<f'(x) v, u> vs <v, activationBackward(u)>, " + ctx, jvu, vJtu, sumAbs);
    }
  }

  /**
   * Training-mode batch norm at x: with M values per channel, xhat = (x - mean) invStd, the
   * forward-mode derivative is {@code J_x v = gamma invStd (v - mean(v) - xhat mean(xhat v))},
   * {@code J_gamma d = xhat d[c]} and {@code J_beta d = d[c]}.
   */
  @ParameterizedTest(name = "batch norm seed {0}")
  @MethodSource("seeds")
  void batchNormBackwardIsTheTransposeOfItsLinearization(long seed) {
    for (CpuRunner cpu : backends) {
      Ops ops = cpu.ops;
      Random r = new Random(seed + 9100);
      int n = Rand.between(r, 2, 4);
      int c = Rand.between(r, 1, 5);
      Shape s = seed % 2 == 0 ? Shape.of(n, c) : Shape.of(n, c, r.nextInt(4) + 1, r.nextInt(4) + 1);
      int p = s.size() / (n * c);
      int m = n * p;
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", " + s;
      BatchNormConfig config = BatchNormConfig.DEFAULT;
      float[] x = Rand.floats(r, s.size());
      float[] gamma = Rand.floats(r, c);
      float[] v = Rand.floats(r, s.size());
      float[] u = Rand.floats(r, s.size());
      float[] dGamma = Rand.floats(r, c);
      float[] dBeta = Rand.floats(r, c);

      Shape cs = Shape.of(c);
      Tensor xt = cpu.upload(s, x);
      Tensor gammaT = cpu.upload(cs, gamma);
      Tensor saveMean = cpu.poisoned(cs);
      Tensor saveInvStd = cpu.poisoned(cs);
      ops.batchNormForward(
          xt,
          cpu.poisoned(s),
          BatchNormTensors.forForward(
              gammaT,
              cpu.upload(cs, new float[c]),
              cpu.upload(cs, new float[c]),
              cpu.upload(cs, new float[c]),
              saveMean,
              saveInvStd),
          config,
          true);
      Tensor gradInput = cpu.poisoned(s);
      Tensor gradGamma = cpu.poisoned(cs);
      Tensor gradBeta = cpu.poisoned(cs);
      ops.batchNormBackward(
          xt,
          cpu.upload(s, u),
          gradInput,
          BatchNormTensors.forBackward(gammaT, saveMean, saveInvStd, gradGamma, gradBeta));

      double[] xhat = new double[s.size()];
      double jxv = 0;
      double jxAbs = 0;
      double jGamma = 0;
      double jBeta = 0;
      double jAbs = 0;
      for (int ch = 0; ch < c; ch++) {
        int[] at = channelIndices(n, c, p, ch);
        double mean = 0;
        for (int i : at) {
          mean += x[i];
        }
        mean /= m;
        double var = 0;
        for (int i : at) {
          var += (x[i] - mean) * (x[i] - mean);
        }
        double invStd = 1 / Math.sqrt(var / m + config.epsilon());
        double meanV = 0;
        double meanXhatV = 0;
        for (int i : at) {
          xhat[i] = (x[i] - mean) * invStd;
          meanV += v[i] / m;
          meanXhatV += xhat[i] * v[i] / m;
        }
        for (int i : at) {
          double scale = gamma[ch] * invStd;
          jxv += scale * (v[i] - meanV - xhat[i] * meanXhatV) * u[i];
          jxAbs +=
              Math.abs(scale)
                  * (Math.abs(v[i]) + Math.abs(meanV) + Math.abs(xhat[i] * meanXhatV))
                  * Math.abs(u[i]);
          jGamma += xhat[i] * dGamma[ch] * u[i];
          jBeta += dBeta[ch] * u[i];
          jAbs += (Math.abs(xhat[i] * dGamma[ch]) + Math.abs(dBeta[ch])) * Math.abs(u[i]);
        }
      }
      assertAdjoint(
          "<J_x v, u> vs <v, gradInput(u)>, " + ctx,
          jxv,
          Numeric.dot(v, ops.read(gradInput)),
          jxAbs);
      assertAdjoint(
          "<J_gamma d, u> vs <d, gradGamma(u)>, " + ctx,
          jGamma,
          Numeric.dot(dGamma, ops.read(gradGamma)),
          jAbs);
      assertAdjoint(
          "<J_beta d, u> vs <d, gradBeta(u)>, " + ctx,
          jBeta,
          Numeric.dot(dBeta, ops.read(gradBeta)),
          jAbs);
    }
  }

  /** Flat indices of channel {@code ch} in a row-major {@code [N][C][P]} tensor. */
  private static int[] channelIndices(int n, int c, int p, int ch) {
    int[] at = new int[n * p];
    for (int i = 0; i < n; i++) {
      for (int q = 0; q < p; q++) {
        at[i * p + q] = (i * c + ch) * p + q;
      }
    }
    return at;
  }

  /**
   * The mean loss {@code L(z) = scale sum_n (log sum_j exp z_nj - z_n,label)} has the linearization
   * {@code J v = scale sum_n (sum_j p_nj v_nj - v_n,label)}, with p the softmax (here in double).
   * Its transpose applied to the scalar 1 is the gradient the backward op writes.
   */
  @ParameterizedTest(name = "softmax cross-entropy seed {0}")
  @MethodSource("seeds")
  void softmaxCrossEntropyBackwardIsTheTransposeOfItsLinearization(long seed) {
    for (CpuRunner cpu : backends) {
      Ops ops = cpu.ops;
      Random r = new Random(seed + 9200);
      int n = Rand.between(r, 1, 5);
      int k = Rand.between(r, 2, 12);
      Shape s = Shape.of(n, k);
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", " + s;
      float[] z = Rand.floats(r, s.size());
      for (int i = 0; i < z.length; i++) {
        z[i] *= 4; // logits up to 4 in size: probabilities far from uniform
      }
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = r.nextInt(k);
      }
      float[] v = Rand.floats(r, s.size());
      float scale = 1f / n;
      Tensor labelsT = cpu.uploadInts(Shape.of(n), labels);
      Tensor probs = cpu.poisoned(s);
      ops.softmaxCrossEntropyForward(cpu.upload(s, z), labelsT, probs, cpu.poisoned(Shape.of(n)));
      Tensor gradLogits = cpu.poisoned(s);
      ops.softmaxCrossEntropyBackward(probs, labelsT, scale, gradLogits);

      double[] p = RefLoss.softmax(Numeric.toDouble(z), n);
      double jv = 0;
      double sumAbs = 0;
      for (int row = 0; row < n; row++) {
        for (int j = 0; j < k; j++) {
          int i = row * k + j;
          double term = p[i] * v[i] - (j == labels[row] ? v[i] : 0);
          jv += scale * term;
          sumAbs += scale * (p[i] * Math.abs(v[i]) + (j == labels[row] ? Math.abs(v[i]) : 0));
        }
      }
      assertAdjoint(
          "<J v, 1> vs <v, softmaxCrossEntropyBackward(1)>, " + ctx,
          jv,
          Numeric.dot(v, ops.read(gradLogits)),
          sumAbs);
    }
  }

  /** The bias enters as a broadcast B(b)[n][k][...] = b[k]; biasBackward must be its transpose. */
  @ParameterizedTest(name = "bias seed {0}")
  @MethodSource("seeds")
  void biasBackwardIsTheTransposeOfTheBroadcast(long seed) {
    for (CpuRunner cpu : backends) {
      Ops ops = cpu.ops;
      Random r = new Random(seed + 9300);
      int n = Rand.between(r, 1, 4);
      int k = Rand.between(r, 1, 6);
      Shape s = seed % 2 == 0 ? Shape.of(n, k) : Shape.of(n, k, r.nextInt(5) + 1, r.nextInt(5) + 1);
      int p = s.size() / (n * k);
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", " + s;
      float[] b = Rand.floats(r, k);
      float[] y = Rand.floats(r, s.size());
      double broadcastDotY = 0;
      double sumAbs = 0;
      for (int i = 0; i < y.length; i++) {
        double term = b[(i / p) % k] * y[i];
        broadcastDotY += term;
        sumAbs += Math.abs(term);
      }
      double rhs = Numeric.dot(b, cpu.biasBackward(y, s));
      assertAdjoint(
          "<broadcast(b), y> vs <b, biasBackward(y)>, " + ctx, broadcastDotY, rhs, sumAbs);
    }
  }

  /**
   * Dropout's forward is x -> x * mask for a fixed mask; its backward (multiply by the same mask)
   * must be the transpose.
   */
  @ParameterizedTest(name = "dropout seed {0}")
  @MethodSource("seeds")
  void dropoutMaskMultiplyIsItsOwnTranspose(long seed) {
    for (CpuRunner cpu : backends) {
      Ops ops = cpu.ops;
      Random r = new Random(seed + 9400);
      Shape s = Shape.of(Rand.between(r, 1, 4), Rand.between(r, 1, 40));
      float p = 0.1f + 0.8f * r.nextFloat();
      String ctx = cpu.ops.name() + ", " + "seed " + seed + ", p " + p + ", " + s;
      float[] x = Rand.floats(r, s.size());
      float[] u = Rand.floats(r, s.size());
      Tensor out = cpu.poisoned(s);
      Tensor mask = cpu.poisoned(s);
      ops.dropoutForward(cpu.upload(s, x), out, mask, p, seed);
      Tensor gradInput = cpu.poisoned(s);
      ops.multiply(cpu.upload(s, u), mask, gradInput);
      float[] y = ops.read(out);
      assertAdjoint(
          "<dropout(x), u> vs <x, mask * u>, " + ctx,
          Numeric.dot(y, u),
          Numeric.dot(x, ops.read(gradInput)),
          Numeric.dotAbs(y, u));
    }
  }
}
