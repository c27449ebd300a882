package org.convcl.train;

import java.util.List;
import org.convcl.nn.Param;
import org.convcl.ops.AdamConfig;
import org.convcl.ops.Ops;

/** Adam with bias correction and L2 weight decay; see {@link AdamConfig}. */
public final class Adam extends StatefulOptimizer {
  private final AdamConfig config;

  public Adam(AdamConfig config) {
    super("adam", List.of("m", "v"));
    this.config = config;
  }

  @Override
  void update(Ops ops, List<Param> params, float learningRate, long step) {
    AdamConfig c = config.withLearningRate(learningRate);
    int t = (int) Math.min(step, Integer.MAX_VALUE);
    for (Param p : params) {
      ops.adamUpdate(p.value(), p.grad(), state(ops, p, "m"), state(ops, p, "v"), c, t);
    }
  }
}
