package org.convcl.ops;

import org.convcl.tensor.Require;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, in PyTorch's
 * formulation:
 *
 * <pre>
 *   g = grad + weightDecay * w
 *   v = momentum * v + g
 *   w = w - lr * (nesterov ? g + momentum * v : v)
 * </pre>
 */
public record SgdConfig(float learningRate, float momentum, boolean nesterov, float weightDecay) {
  public SgdConfig {
    Require.positiveFinite("learning rate", learningRate);
    Require.inRange("momentum", momentum, 0f, 1f);
    Require.nonNegativeFinite("weight decay", weightDecay);
    Require.that(
        !nesterov || momentum > 0, "nesterov", nesterov, "needs a momentum greater than 0");
  }

  public SgdConfig withLearningRate(float lr) {
    return new SgdConfig(lr, momentum, nesterov, weightDecay);
  }
}
