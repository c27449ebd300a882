package org.convcl.ref;

import org.convcl.ops.AdamConfig;
import org.convcl.ops.SgdConfig;

/**
 * Parameter updates in place, in double; the formulas are those of {@link SgdConfig} and {@link
 * AdamConfig}.
 */
public final class RefOptim {
  private RefOptim() {}

  /**
   * {@code g = grad + weightDecay w}; {@code v = momentum v + g}; {@code w -= lr (nesterov ? g +
   * momentum v : v)}; without momentum {@code w -= lr g} and {@code velocity} (may be null) is not
   * touched.
   */
  public static void sgd(double[] w, double[] grad, double[] velocity, SgdConfig cfg) {
    double mu = cfg.momentum();
    for (int i = 0; i < w.length; i++) {
      double g = grad[i] + (double) cfg.weightDecay() * w[i];
      double step = g;
      if (velocity != null && mu > 0) {
        velocity[i] = mu * velocity[i] + g;
        step = cfg.nesterov() ? g + mu * velocity[i] : velocity[i];
      }
      w[i] -= cfg.learningRate() * step;
    }
  }

  /**
   * Adam at step {@code t >= 1}: {@code g = grad + weightDecay w}; {@code m = beta1 m + (1 - beta1)
   * g}; {@code v = beta2 v + (1 - beta2) g^2}; {@code w -= lr (m / (1 - beta1^t)) / (sqrt(v / (1 -
   * beta2^t)) + epsilon)}.
   */
  public static void adam(
      double[] w, double[] grad, double[] m, double[] v, AdamConfig cfg, int t) {
    double b1 = cfg.beta1();
    double b2 = cfg.beta2();
    for (int i = 0; i < w.length; i++) {
      double g = grad[i] + (double) cfg.weightDecay() * w[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      double mHat = m[i] / (1 - StrictMath.pow(b1, t));
      double vHat = v[i] / (1 - StrictMath.pow(b2, t));
      w[i] -= cfg.learningRate() * mHat / (Math.sqrt(vHat) + cfg.epsilon());
    }
  }
}
