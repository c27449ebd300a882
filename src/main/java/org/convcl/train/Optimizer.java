package org.convcl.train;

import java.util.List;
import java.util.Map;
import org.convcl.nn.Param;
import org.convcl.ops.Ops;
import org.convcl.tensor.Tensor;

/**
 * Updates parameters in place on the device from their gradients. Call {@link #step} once per
 * training step, after the backward pass. Its state (velocities, moments, step count) lives on the
 * device and is saved in checkpoints through {@link #state} and {@link #stepCount}.
 */
public interface Optimizer extends AutoCloseable {

  /** {@code sgd} or {@code adam}: the name checkpoints record. */
  String name();

  void step(Ops ops, List<Param> params, float learningRate);

  /**
   * The state tensors by name ({@code <param>.velocity}, {@code <param>.m}, ...), allocated
   * (zeroed) for {@code params} when missing, so that a checkpoint can be written or restored at
   * any time.
   */
  Map<String, Tensor> state(Ops ops, List<Param> params);

  /** Steps taken so far (Adam's bias correction uses it). */
  long stepCount();

  void setStepCount(long steps);

  @Override
  void close();
}
