package org.convcl.cl;

import java.util.Random;
import org.convcl.ops.AdamConfig;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Differential tests of opencl/batchnorm.cl and optimizer.cl against the reference (RefOps). */
@Tag("opencl")
class NormAndOptimizerKernelsTest {
  @Test
  void batchNormMatchesTheOracle() {
    for (int i = 0; i < 12; i++) {
      long seed = 700 + i;
      Random r = new Random(seed);
      int n = Rand.between(r, 1, 4);
      int c = Rand.between(r, 1, 7);
      Shape s =
          i % 2 == 0
              ? Shape.of(n + 1, c) // dense input: P = 1, at least 2 values per channel
              : Shape.nchw(n, c, Rand.between(r, 1, 11), Rand.between(r, 2, 9));
      BatchNormConfig cfg = new BatchNormConfig(0.1f + r.nextFloat() * 0.5f, 1e-5f);
      check(s, cfg, r, "seed " + seed + " " + s);
    }
  }

  private static void check(Shape s, BatchNormConfig cfg, Random r, String context) {
    Shape cs = Shape.of(s.dim(1));
    int c = s.dim(1);
    try (Twin t = new Twin()) {
      Tensor[] x = t.upload(s, Rand.floats(r, s.size()));
      Tensor[] gamma = t.upload(cs, Rand.floats(r, c));
      Tensor[] beta = t.upload(cs, Rand.floats(r, c));
      float[] rv = Rand.floats(r, c);
      for (int j = 0; j < c; j++) {
        rv[j] = Math.abs(rv[j]) + 0.5f;
      }
      Tensor[] runMean = t.upload(cs, Rand.floats(r, c));
      Tensor[] runVar = t.upload(cs, rv);
      Tensor[] y = t.output(s);
      Tensor[] saveMean = t.output(cs);
      Tensor[] saveInvStd = t.output(cs);
      t.ref.batchNormForward(
          x[0],
          y[0],
          BatchNormTensors.forForward(
              gamma[0], beta[0], runMean[0], runVar[0], saveMean[0], saveInvStd[0]),
          cfg,
          false);
      t.cl.batchNormForward(
          x[1],
          y[1],
          BatchNormTensors.forForward(gamma[1], beta[1], runMean[1], runVar[1], null, null),
          cfg,
          false);
      t.assertClose("batchNorm inference " + context, y, Tolerance.BATCH_NORM);
      t.poison(y);
      t.ref.batchNormForward(
          x[0],
          y[0],
          BatchNormTensors.forForward(
              gamma[0], beta[0], runMean[0], runVar[0], saveMean[0], saveInvStd[0]),
          cfg,
          true);
      t.cl.batchNormForward(
          x[1],
          y[1],
          BatchNormTensors.forForward(
              gamma[1], beta[1], runMean[1], runVar[1], saveMean[1], saveInvStd[1]),
          cfg,
          true);
      t.assertClose("batchNorm training output " + context, y, Tolerance.BATCH_NORM);
      t.assertClose("batchNorm saveMean " + context, saveMean, Tolerance.BATCH_NORM);
      t.assertClose("batchNorm saveInvStd " + context, saveInvStd, Tolerance.BATCH_NORM);
      t.assertClose("batchNorm runningMean " + context, runMean, Tolerance.BATCH_NORM);
      t.assertClose("batchNorm runningVar " + context, runVar, Tolerance.BATCH_NORM);

      Tensor[] dy = t.upload(s, Rand.floats(r, s.size()));
      Tensor[] dx = t.output(s);
      Tensor[] dGamma = t.output(cs);
      Tensor[] dBeta = t.output(cs);
      t.ref.batchNormBackward(
          x[0],
          dy[0],
          dx[0],
          BatchNormTensors.forBackward(gamma[0], saveMean[0], saveInvStd[0], dGamma[0], dBeta[0]));
      t.cl.batchNormBackward(
          x[1],
          dy[1],
          dx[1],
          BatchNormTensors.forBackward(gamma[1], saveMean[1], saveInvStd[1], dGamma[1], dBeta[1]));
      t.assertClose("batchNorm gradInput " + context, dx, Tolerance.BATCH_NORM);
      t.assertClose("batchNorm gradGamma " + context, dGamma, Tolerance.BATCH_NORM);
      t.assertClose("batchNorm gradBeta " + context, dBeta, Tolerance.BATCH_NORM);
    }
  }

  @Test
  void sgdAndAdamStepsMatchTheOracle() {
    SgdConfig[] sgd = {
      new SgdConfig(0.1f, 0f, false, 0f),
      new SgdConfig(0.05f, 0.9f, false, 1e-4f),
      new SgdConfig(0.01f, 0.9f, true, 5e-4f)
    };
    for (int i = 0; i < 9; i++) {
      long seed = 800 + i;
      Random r = new Random(seed);
      Shape s = Shape.of(Rand.between(r, 1, 300));
      SgdConfig cfg = sgd[i % sgd.length];
      AdamConfig adam = new AdamConfig(1e-3f, 0.9f, 0.999f, 1e-8f, i % 2 == 0 ? 0f : 1e-3f);
      String context = "seed " + seed + " " + s + " " + cfg + " " + adam;
      try (Twin t = new Twin()) {
        Tensor[] w = t.upload(s, Rand.floats(r, s.size()));
        Tensor[] vel = t.upload(s, new float[s.size()]);
        Tensor[] w2 = t.upload(s, Rand.floats(r, s.size()));
        Tensor[] m = t.upload(s, new float[s.size()]);
        Tensor[] v = t.upload(s, new float[s.size()]);
        for (int step = 1; step <= 3; step++) {
          Tensor[] g = t.upload(s, Rand.floats(r, s.size()));
          Tensor[] velocity = cfg.momentum() > 0 ? vel : new Tensor[] {null, null};
          t.ref.sgdUpdate(w[0], g[0], velocity[0], cfg);
          t.cl.sgdUpdate(w[1], g[1], velocity[1], cfg);
          t.ref.adamUpdate(w2[0], g[0], m[0], v[0], adam, step);
          t.cl.adamUpdate(w2[1], g[1], m[1], v[1], adam, step);
        }
        t.assertClose("sgd param " + context, w, Tolerance.OPTIMIZER);
        t.assertClose("sgd velocity " + context, vel, Tolerance.OPTIMIZER);
        t.assertClose("adam param " + context, w2, Tolerance.OPTIMIZER);
        t.assertClose("adam m " + context, m, Tolerance.OPTIMIZER);
        t.assertClose("adam v " + context, v, Tolerance.OPTIMIZER);
      }
    }
  }
}
