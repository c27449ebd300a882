package org.convcl.ops;

import org.convcl.tensor.Require;

/**
 * Batch normalization settings: {@code epsilon} keeps the division finite, and the running
 * statistics move by {@code momentum} each training step ({@code running = (1 - momentum) * running
 * + momentum * batch}; the running variance uses the unbiased batch variance, the normalization the
 * biased one, as in PyTorch).
 */
public record BatchNormConfig(float momentum, float epsilon) {
  public static final BatchNormConfig DEFAULT = new BatchNormConfig(0.1f, 1e-5f);

  public BatchNormConfig {
    Require.that(
        momentum > 0 && momentum <= 1, "batch norm momentum", momentum, "must be in (0, 1]");
    Require.positiveFinite("batch norm epsilon", epsilon);
  }
}
