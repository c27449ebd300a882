package org.convcl.nn;

import java.util.Random;
import java.util.function.Supplier;
import org.convcl.ops.HeapMemory;

/**
 * How weights start. He (normal, std {@code sqrt(2/fanIn)}) keeps the activation variance of a ReLU
 * network steady; Xavier/Glorot (uniform in {@code +-sqrt(6/(fanIn+fanOut))}) does the same for
 * symmetric activations and for the final layer. Biases start at zero.
 */
public enum WeightInit {
  HE,
  XAVIER,
  /**
   * All zero: the classifier head, so that the first logits are 0 and the first loss is exactly
   * ln(classes). He-scaled features grow through max pooling, and a Xavier head on top of them
   * starts LeNet at a loss near 8 instead of 2.3, which slows the first epoch a lot.
   */
  ZERO;

  /**
   * {@code count} initial weights; the array comes from {@link HeapMemory}, so a layer too large
   * for the heap is a {@code DeviceMemoryException} naming {@code what} (the layer's token).
   */
  public float[] sample(Random rng, int count, int fanIn, int fanOut, Supplier<String> what) {
    float[] w = HeapMemory.floats(count, what);
    if (this == ZERO) {
      return w;
    }
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
