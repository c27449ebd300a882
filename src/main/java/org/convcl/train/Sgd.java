package org.convcl.train;

import java.util.List;
import java.util.Map;
import org.convcl.nn.Param;
import org.convcl.ops.Ops;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.Tensor;

/** SGD with optional (Nesterov) momentum and weight decay; see {@link SgdConfig}. */
public final class Sgd implements Optimizer {
  private final SgdConfig config;
  private final StateTensors velocity = new StateTensors();
  private long steps;

  public Sgd(SgdConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public void step(Ops ops, List<Param> params, float learningRate) {
    SgdConfig c = config.withLearningRate(learningRate);
    for (Param p : params) {
      Tensor v = config.momentum() > 0 ? velocity.get(ops, p, "velocity") : null;
      ops.sgdUpdate(p.value(), p.grad(), v, c);
    }
    steps++;
  }

  @Override
  public Map<String, Tensor> state(Ops ops, List<Param> params) {
    if (config.momentum() > 0) {
      params.forEach(p -> velocity.get(ops, p, "velocity"));
    }
    return velocity.view();
  }

  @Override
  public long stepCount() {
    return steps;
  }

  @Override
  public void setStepCount(long steps) {
    this.steps = steps;
  }

  @Override
  public void close() {
    velocity.close();
  }
}
