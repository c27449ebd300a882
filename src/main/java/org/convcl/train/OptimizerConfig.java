package org.convcl.train;

import org.convcl.ops.AdamConfig;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.Require;

/**
 * The optimizer a run uses, as plain settings: make one with {@link Optimizer#adam(double)} or
 * {@link Optimizer#sgd(double)} and refine it with the {@code with...} methods, e.g. {@code
 * Optimizer.sgd(0.05).withMomentum(0.9).withNesterov(true)}. The trainer creates the optimizer's
 * device state from it ({@link #create}).
 *
 * @param kind SGD or Adam
 * @param learningRate the base learning rate, finite and positive (a schedule scales it)
 * @param momentum SGD's momentum in [0, 1); ignored by Adam
 * @param nesterov whether SGD uses Nesterov momentum; ignored by Adam
 * @param weightDecay L2 weight decay, finite and at least 0
 */
public record OptimizerConfig(
    OptimizerKind kind, float learningRate, float momentum, boolean nesterov, float weightDecay) {

  /**
   * Checks every setting; the message names the setting and its value.
   *
   * @param kind SGD or Adam
   * @param learningRate the base learning rate, finite and positive
   * @param momentum SGD's momentum in [0, 1)
   * @param nesterov whether SGD uses Nesterov momentum
   * @param weightDecay L2 weight decay, finite and at least 0
   */
  public OptimizerConfig {
    Require.that(kind != null, "optimizer", null, "must be given");
    Require.positiveFinite("learning rate", learningRate);
    Require.that(momentum >= 0 && momentum < 1, "momentum", momentum, "must be in [0, 1)");
    Require.that(
        weightDecay >= 0 && Float.isFinite(weightDecay),
        "weight decay",
        weightDecay,
        "must be finite and at least 0");
  }

  /**
   * Adam with {@code learningRate}, the usual betas (0.9, 0.999) and no weight decay.
   *
   * @param learningRate the base learning rate, e.g. 1e-3
   * @return the settings
   */
  static OptimizerConfig adam(double learningRate) {
    return new OptimizerConfig(OptimizerKind.ADAM, (float) learningRate, 0f, false, 0f);
  }

  /**
   * Plain SGD with {@code learningRate}: no momentum, no weight decay.
   *
   * @param learningRate the base learning rate, e.g. 0.05
   * @return the settings
   */
  static OptimizerConfig sgd(double learningRate) {
    return new OptimizerConfig(OptimizerKind.SGD, (float) learningRate, 0f, false, 0f);
  }

  /**
   * These settings with another base learning rate.
   *
   * @param rate finite and positive
   * @return a copy with the new rate
   */
  public OptimizerConfig withLearningRate(double rate) {
    return new OptimizerConfig(kind, (float) rate, momentum, nesterov, weightDecay);
  }

  /**
   * These settings with SGD momentum {@code m}.
   *
   * @param m in [0, 1)
   * @return a copy with the new momentum
   */
  public OptimizerConfig withMomentum(double m) {
    return new OptimizerConfig(kind, learningRate, (float) m, nesterov, weightDecay);
  }

  /**
   * These settings with Nesterov momentum on or off.
   *
   * @param on whether SGD uses Nesterov momentum
   * @return a copy with the new flag
   */
  public OptimizerConfig withNesterov(boolean on) {
    return new OptimizerConfig(kind, learningRate, momentum, on, weightDecay);
  }

  /**
   * These settings with L2 weight decay {@code decay}.
   *
   * @param decay finite and at least 0
   * @return a copy with the new decay
   */
  public OptimizerConfig withWeightDecay(double decay) {
    return new OptimizerConfig(kind, learningRate, momentum, nesterov, (float) decay);
  }

  /**
   * A fresh optimizer with these settings; its device state is allocated on first use. The caller
   * closes it.
   *
   * @return a new optimizer
   */
  public Optimizer create() {
    if (kind == OptimizerKind.ADAM) {
      return new Adam(new AdamConfig(learningRate, 0.9f, 0.999f, 1e-8f, weightDecay));
    }
    return new Sgd(new SgdConfig(learningRate, momentum, nesterov, weightDecay));
  }
}
