package org.convcl.train;

import java.util.List;
import org.convcl.nn.Param;
import org.convcl.ops.Ops;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.Tensor;

/** SGD with optional (Nesterov) momentum and weight decay; see {@link SgdConfig}. */
public final class Sgd extends StatefulOptimizer {
  private final SgdConfig config;

  public Sgd(SgdConfig config) {
    // Plain SGD keeps no state; with momentum, one velocity per parameter.
    super("sgd", config.momentum() > 0 ? List.of("velocity") : List.of());
    this.config = config;
  }

  @Override
  void update(Ops ops, List<Param> params, float learningRate, long step) {
    SgdConfig c = config.withLearningRate(learningRate);
    for (Param p : params) {
      Tensor v = config.momentum() > 0 ? state(ops, p, "velocity") : null;
      ops.sgdUpdate(p.value(), p.grad(), v, c);
    }
  }
}
