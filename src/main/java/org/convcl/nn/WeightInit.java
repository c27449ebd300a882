package org.convcl.nn;

import java.util.Random;

/**
 * How weights start. He (normal, std {@code sqrt(2/fanIn)}) keeps the activation variance of a ReLU
 * network steady; Xavier/Glorot (uniform in {@code +-sqrt(6/(fanIn+fanOut))}) does the same for
 * symmetric activations and for the final layer. Biases start at zero.
 */
public enum WeightInit {
  HE,
  XAVIER;

  public float[] sample(Random rng, int count, int fanIn, int fanOut) {
    float[] w = new float[count];
    if (this == HE) {
      double std = Math.sqrt(2.0 / fanIn);
      for (int i = 0; i < count; i++) {
        w[i] = (float) (rng.nextGaussian() * std);
      }
    } else {
      double a = Math.sqrt(6.0 / (fanIn + fanOut));
      for (int i = 0; i < count; i++) {
        w[i] = (float) ((rng.nextDouble() * 2 - 1) * a);
      }
    }
    return w;
  }
}
