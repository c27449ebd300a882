package org.convcl.train;

import java.util.List;
import java.util.Map;
import org.convcl.nn.Param;
import org.convcl.ops.Ops;
import org.convcl.tensor.Tensor;

/**
 * The skeleton every optimizer shares: its checkpoint name, the step count, and per-parameter state
 * tensors named {@code <param>.<suffix>} for a fixed list of suffixes, created zero-filled on first
 * use. A subclass supplies only the update of one step.
 */
abstract class StatefulOptimizer implements Optimizer {
  private final String name;
  private final List<String> suffixes;
  private final StateTensors tensors = new StateTensors();
  private long steps;

  StatefulOptimizer(String name, List<String> suffixes) {
    this.name = name;
    this.suffixes = List.copyOf(suffixes);
  }

  /** Updates {@code params} in place; {@code step} is 1 for the first step of a run. */
  abstract void update(Ops ops, List<Param> params, float learningRate, long step);

  /** The state tensor {@code suffix} of {@code p}. */
  final Tensor state(Ops ops, Param p, String suffix) {
    return tensors.get(ops, p, suffix);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void step(Ops ops, List<Param> params, float learningRate) {
    steps++;
    update(ops, params, learningRate, steps);
  }

  @Override
  public final Map<String, Tensor> state(Ops ops, List<Param> params) {
    for (Param p : params) {
      for (String s : suffixes) {
        tensors.get(ops, p, s);
      }
    }
    return tensors.view();
  }

  @Override
  public final long stepCount() {
    return steps;
  }

  @Override
  public final void setStepCount(long steps) {
    this.steps = steps;
  }

  @Override
  public final void close() {
    tensors.close();
  }
}
