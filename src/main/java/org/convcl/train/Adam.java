package org.convcl.train;

import java.util.List;
import java.util.Map;
import org.convcl.nn.Param;
import org.convcl.ops.AdamConfig;
import org.convcl.ops.Ops;
import org.convcl.tensor.Tensor;

/** Adam with bias correction and L2 weight decay; see {@link AdamConfig}. */
public final class Adam implements Optimizer {
  private final AdamConfig config;
  private final StateTensors moments = new StateTensors();
  private long steps;

  public Adam(AdamConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "adam";
  }

  @Override
  public void step(Ops ops, List<Param> params, float learningRate) {
    AdamConfig c = config.withLearningRate(learningRate);
    steps++;
    int t = (int) Math.min(steps, Integer.MAX_VALUE);
    for (Param p : params) {
      ops.adamUpdate(p.value(), p.grad(), moments.get(ops, p, "m"), moments.get(ops, p, "v"), c, t);
    }
  }

  @Override
  public Map<String, Tensor> state(Ops ops, List<Param> params) {
    for (Param p : params) {
      moments.get(ops, p, "m");
      moments.get(ops, p, "v");
    }
    return moments.view();
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
    moments.close();
  }
}
