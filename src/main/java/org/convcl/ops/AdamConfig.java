package org.convcl.ops;

import org.convcl.tensor.Require;

/**
 * Adam (Kingma and Ba) with L2 weight decay added to the gradient, bias-corrected at step {@code t
 * >= 1}:
 *
 * <pre>
 *   g = grad + weightDecay * w
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   w = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * </pre>
 */
public record AdamConfig(
    float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
  public AdamConfig {
    Require.positiveFinite("learning rate", learningRate);
    Require.inRange("beta1", beta1, 0f, 1f);
    Require.inRange("beta2", beta2, 0f, 1f);
    Require.positiveFinite("epsilon", epsilon);
    Require.nonNegativeFinite("weight decay", weightDecay);
  }

  public static AdamConfig defaults(float lr) {
    return new AdamConfig(lr, 0.9f, 0.999f, 1e-8f, 0f);
  }

  public AdamConfig withLearningRate(float lr) {
    return new AdamConfig(lr, beta1, beta2, epsilon, weightDecay);
  }
}
