package org.convcl.nn;

import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * A device tensor a layer keeps between steps (an activation or a gradient buffer). It is allocated
 * on first use and re-allocated only when the batch shape changes, so a steady training loop
 * allocates nothing.
 */
final class Slot implements AutoCloseable {
  private Tensor tensor;

  /** The held tensor, (re)allocated when missing or of another shape. */
  Tensor ensure(Ops ops, Shape shape, DType dtype) {
    if (tensor == null || !tensor.shape().equals(shape) || tensor.dtype() != dtype) {
      close();
      tensor = ops.allocate(shape, dtype);
    }
    return tensor;
  }

  Tensor ensure(Ops ops, Shape shape) {
    return ensure(ops, shape, DType.FLOAT32);
  }

  @Override
  public void close() {
    if (tensor != null) {
      tensor.close();
      tensor = null;
    }
  }
}
