package org.convcl.cl;

import org.convcl.ops.AdamConfig;

/** Adam's bias corrections {@code 1 - beta^t}, computed on the host once per step. */
final class AdamCorrection {
  private AdamCorrection() {}

  static float first(AdamConfig c, int t) {
    return (float) (1.0 - Math.pow(c.beta1(), t));
  }

  static float second(AdamConfig c, int t) {
    return (float) (1.0 - Math.pow(c.beta2(), t));
  }
}
