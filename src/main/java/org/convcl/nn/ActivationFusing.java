package org.convcl.nn;

import org.convcl.ops.Activation;

/**
 * A layer whose forward op can apply the activation that follows it as its epilogue ({@link
 * org.convcl.ops.Ops#convForward(org.convcl.tensor.Tensor, org.convcl.tensor.Tensor,
 * org.convcl.tensor.Tensor, org.convcl.tensor.Tensor, org.convcl.tensor.ConvGeometry,
 * Activation)}), so the pre-activation values are never written out and read back. {@link
 * Sequential#build} pairs it with the {@link ActivationLayer} after it.
 */
interface ActivationFusing {
  /** From now on, forward applies {@code f} to its output. */
  void fuseActivation(Activation f);
}
