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
 *
 * <p>{@link #adam(double)} and {@link #sgd(double)} give the settings a {@link TrainConfig} takes;
 * the trainer creates the optimizer from them.
 */
public interface Optimizer extends AutoCloseable {

  /**
   * Adam settings with {@code learningRate}, betas 0.9 and 0.999, no weight decay.
   *
   * @param learningRate the base learning rate, e.g. 1e-3
   * @return settings to refine with {@code withWeightDecay} and pass to {@link TrainConfig}
   */
  static OptimizerConfig adam(double learningRate) {
    return OptimizerConfig.adam(learningRate);
  }

  /**
   * SGD settings with {@code learningRate}, no momentum, no weight decay.
   *
   * @param learningRate the base learning rate, e.g. 0.05
   * @return settings to refine with {@code withMomentum}, {@code withNesterov}, {@code
   *     withWeightDecay}
   */
  static OptimizerConfig sgd(double learningRate) {
    return OptimizerConfig.sgd(learningRate);
  }

  /**
   * The name checkpoints record.
   *
   * @return {@code sgd} or {@code adam}
   */
  String name();

  /**
   * Updates every parameter from its gradient.
   *
   * @param ops the backend the parameters live on
   * @param params the parameters, with their gradients filled by the backward pass
   * @param learningRate this step's rate
   */
  void step(Ops ops, List<Param> params, float learningRate);

  /**
   * The state tensors by name ({@code <param>.velocity}, {@code <param>.m}, ...), allocated
   * (zeroed) for {@code params} when missing, so that a checkpoint can be written or restored at
   * any time.
   *
   * @param ops the backend the state lives on
   * @param params the parameters the state belongs to
   * @return the state tensors by name, owned by this optimizer
   */
  Map<String, Tensor> state(Ops ops, List<Param> params);

  /**
   * Steps taken so far (Adam's bias correction uses it).
   *
   * @return the step count
   */
  long stepCount();

  /**
   * Sets the step count, when state is restored from a checkpoint.
   *
   * @param steps steps already taken
   */
  void setStepCount(long steps);

  /** Releases the device state. */
  @Override
  void close();
}
