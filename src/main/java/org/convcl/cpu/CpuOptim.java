package org.convcl.cpu;

import org.convcl.ops.AdamConfig;
import org.convcl.ops.SgdConfig;

/** Parameter updates in place; the formulas are in {@link SgdConfig} and {@link AdamConfig}. */
final class CpuOptim {
  private CpuOptim() {}

  static void sgd(float[] w, float[] grad, float[] velocity, SgdConfig cfg) {
    float mu = cfg.momentum();
    for (int i = 0; i < w.length; i++) {
      float g = grad[i] + cfg.weightDecay() * w[i];
      float step = g;
      if (velocity != null && mu > 0) {
        velocity[i] = mu * velocity[i] + g;
        step = cfg.nesterov() ? g + mu * velocity[i] : velocity[i];
      }
      w[i] -= cfg.learningRate() * step;
    }
  }

  static void adam(float[] w, float[] grad, float[] m, float[] v, AdamConfig cfg, int t) {
    double correction1 = 1 - Math.pow(cfg.beta1(), t);
    double correction2 = 1 - Math.pow(cfg.beta2(), t);
    for (int i = 0; i < w.length; i++) {
      float g = grad[i] + cfg.weightDecay() * w[i];
      m[i] = cfg.beta1() * m[i] + (1 - cfg.beta1()) * g;
      v[i] = cfg.beta2() * v[i] + (1 - cfg.beta2()) * g * g;
      double mHat = m[i] / correction1;
      double vHat = v[i] / correction2;
      w[i] -= (float) (cfg.learningRate() * mHat / (Math.sqrt(vHat) + cfg.epsilon()));
    }
  }
}
