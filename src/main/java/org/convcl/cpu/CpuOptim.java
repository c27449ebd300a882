package org.convcl.cpu;

import org.convcl.ops.AdamConfig;
import org.convcl.ops.SgdConfig;

/**
 * Parameter updates in place; the formulas are in {@link SgdConfig} and {@link AdamConfig}. Each
 * element is updated on its own, so the array is cut into chunks of {@link #CHUNK} over the pool:
 * the same bits for any thread count. (Run on the calling thread alone, SGD with momentum on
 * LeNet's 431,000 parameters was the largest serial part of a training step: 1.7 % of the calling
 * thread's samples while the helper waited.)
 */
final class CpuOptim {
  private CpuOptim() {}

  /** Elements per task: a chunk of the three or four arrays (96-128 KB) outweighs its dispatch. */
  static final int CHUNK = 1 << 13;

  /**
   * Below this many elements an update runs on the calling thread: about 1 ns an element, so the
   * helper's wake-up (tens of microseconds) would cost more than it saves.
   */
  static final int PARALLEL_MIN = 1 << 16;

  static void sgd(Parallel par, float[] w, float[] grad, float[] velocity, SgdConfig cfg) {
    if (w.length < PARALLEL_MIN) {
      sgd(w, grad, velocity, cfg, 0, w.length);
      return;
    }
    par.forRanges(w.length, CHUNK, (lo, hi) -> sgd(w, grad, velocity, cfg, lo, hi));
  }

  static void adam(
      Parallel par, float[] w, float[] grad, float[] m, float[] v, AdamConfig cfg, int t) {
    if (w.length < PARALLEL_MIN) {
      adam(w, grad, m, v, cfg, t, 0, w.length);
      return;
    }
    par.forRanges(w.length, CHUNK, (lo, hi) -> adam(w, grad, m, v, cfg, t, lo, hi));
  }

  private static void sgd(
      float[] w, float[] grad, float[] velocity, SgdConfig cfg, int lo, int hi) {
    float mu = cfg.momentum();
    for (int i = lo; i < hi; i++) {
      float g = grad[i] + cfg.weightDecay() * w[i];
      float step = g;
      if (velocity != null && mu > 0) {
        velocity[i] = mu * velocity[i] + g;
        step = cfg.nesterov() ? g + mu * velocity[i] : velocity[i];
      }
      w[i] -= cfg.learningRate() * step;
    }
  }

  private static void adam(
      float[] w, float[] grad, float[] m, float[] v, AdamConfig cfg, int t, int lo, int hi) {
    double correction1 = 1 - Math.pow(cfg.beta1(), t);
    double correction2 = 1 - Math.pow(cfg.beta2(), t);
    for (int i = lo; i < hi; i++) {
      float g = grad[i] + cfg.weightDecay() * w[i];
      m[i] = cfg.beta1() * m[i] + (1 - cfg.beta1()) * g;
      v[i] = cfg.beta2() * v[i] + (1 - cfg.beta2()) * g * g;
      double mHat = m[i] / correction1;
      double vHat = v[i] / correction2;
      w[i] -= (float) (cfg.learningRate() * mHat / (Math.sqrt(vHat) + cfg.epsilon()));
    }
  }
}
