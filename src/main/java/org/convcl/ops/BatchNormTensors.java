package org.convcl.ops;

import org.convcl.tensor.Tensor;

/**
 * The per-channel tensors of one batch-norm layer, each {@code [C]}: the learned scale and shift,
 * the running statistics (checkpointed state), the batch statistics saved by the training forward
 * pass for the backward pass, and the parameter gradients.
 *
 * <p>Who reads and writes what: {@code batchNormForward} reads gamma and beta, reads and updates
 * the running statistics in training (reads them in inference), and writes saveMean and saveInvStd
 * (training only; they may be null in inference). {@code batchNormBackward} reads gamma, saveMean
 * and saveInvStd, and writes gradGamma and gradBeta. A tensor an op does not use may be null.
 *
 * @param saveInvStd {@code 1/sqrt(var + eps)} of the last training batch
 */
public record BatchNormTensors(
    Tensor gamma,
    Tensor beta,
    Tensor runningMean,
    Tensor runningVar,
    Tensor saveMean,
    Tensor saveInvStd,
    Tensor gradGamma,
    Tensor gradBeta) {

  /** What the forward pass uses (no gradients). */
  public static BatchNormTensors forForward(
      Tensor gamma,
      Tensor beta,
      Tensor runningMean,
      Tensor runningVar,
      Tensor saveMean,
      Tensor saveInvStd) {
    return new BatchNormTensors(
        gamma, beta, runningMean, runningVar, saveMean, saveInvStd, null, null);
  }

  /** What the backward pass uses (no shift, no running statistics). */
  public static BatchNormTensors forBackward(
      Tensor gamma, Tensor saveMean, Tensor saveInvStd, Tensor gradGamma, Tensor gradBeta) {
    return new BatchNormTensors(gamma, null, null, null, saveMean, saveInvStd, gradGamma, gradBeta);
  }

  /** Every tensor, in declaration order (nulls included), e.g. to close them all. */
  public Tensor[] all() {
    return new Tensor[] {
      gamma, beta, runningMean, runningVar, saveMean, saveInvStd, gradGamma, gradBeta
    };
  }
}
