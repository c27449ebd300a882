package org.convcl.tensor;

/**
 * A block of device or host memory of a known {@link Shape}, owned by the backend that created it.
 * Its contents are reached only through that backend ({@code Ops.read}, {@code Ops.write}), so a
 * tensor on an OpenCL device stays there across a training step. Closing a tensor returns its
 * memory; closing a view does nothing.
 */
public interface Tensor extends AutoCloseable {
  Shape shape();

  DType dtype();

  /** The backend that created this tensor; ops refuse tensors of another backend. */
  Object owner();

  /** Whether this tensor still owns memory (false once closed). */
  boolean isOpen();

  /**
   * Whether this tensor and {@code other} use the same underlying memory (one is a view of the
   * other, or both are views of one base). Ops use it to refuse an output that aliases an input.
   */
  boolean sameStorage(Tensor other);

  @Override
  void close();
}
