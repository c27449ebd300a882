package org.convcl.nn;

import org.convcl.tensor.Tensor;

/**
 * A named tensor a layer owns: a trainable parameter with its gradient, or (with {@code grad ==
 * null}) a state buffer such as batch norm's running mean, which checkpoints save but optimizers
 * leave alone. Names are unique within a model, e.g. {@code 0.conv5x5x20.weights}.
 */
public record Param(String name, Tensor value, Tensor grad) {
  public Param {
    if (name == null || name.isEmpty() || value == null) {
      throw new IllegalArgumentException(
          "param name and value must be given (name = " + name + ")");
    }
  }

  /** The same tensors under a name prefixed with the layer's position and token. */
  public Param prefixed(String prefix) {
    return new Param(prefix + "." + name, value, grad);
  }
}
