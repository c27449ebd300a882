package org.convcl.train;

import java.util.Locale;
import org.convcl.ops.AdamConfig;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.Require;

/** What the user chose: {@code sgd} (momentum, Nesterov, weight decay) or {@code adam}. */
public record OptimizerConfig(
    String kind, float learningRate, float momentum, boolean nesterov, float weightDecay) {

  public OptimizerConfig {
    kind = kind.toLowerCase(Locale.ROOT);
    Require.that(
        kind.equals("sgd") || kind.equals("adam"), "optimizer", kind, "must be sgd or adam");
    Require.positiveFinite("learning rate", learningRate);
  }

  public Optimizer create() {
    if (kind.equals("adam")) {
      return new Adam(new AdamConfig(learningRate, 0.9f, 0.999f, 1e-8f, weightDecay));
    }
    return new Sgd(new SgdConfig(learningRate, momentum, nesterov, weightDecay));
  }
}
