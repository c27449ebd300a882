package org.convcl.cl;

import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.jocl.cl_mem;

/**
 * A tensor in one device buffer, dense row-major, 4 bytes per element. Closing it returns the
 * buffer to its {@link ClOps}'s pool; a view shares its base's buffer and closing it does nothing.
 */
public final class ClTensor implements Tensor {
  private final ClOps owner;
  private final cl_mem buffer;
  private final Shape shape;
  private final DType dtype;
  private final ClTensor base; // null unless this is a view
  private boolean closed;

  ClTensor(ClOps owner, cl_mem buffer, Shape shape, DType dtype, ClTensor base) {
    this.owner = owner;
    this.buffer = buffer;
    this.shape = shape;
    this.dtype = dtype;
    this.base = base;
  }

  @Override
  public Shape shape() {
    return shape;
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Object owner() {
    return owner;
  }

  @Override
  public boolean isOpen() {
    return !closed && owner.isOpen() && (base == null || base.isOpen());
  }

  /** The device buffer is the storage identity: a view keeps its base's {@code cl_mem}. */
  @Override
  public boolean sameStorage(Tensor other) {
    return other instanceof ClTensor t && buffer == t.buffer;
  }

  cl_mem buffer() {
    return buffer;
  }

  /** Bytes of the buffer: 4 per element (float32 and int32 alike). */
  long bytes() {
    return 4L * shape.size();
  }

  ClTensor view(Shape newShape) {
    return new ClTensor(owner, buffer, newShape, dtype, base == null ? this : base);
  }

  @Override
  public void close() {
    if (base != null || closed) {
      return;
    }
    closed = true;
    owner.release(this);
  }

  @Override
  public String toString() {
    return "ClTensor[" + dtype + " " + shape + (base != null ? ", view" : "") + "]";
  }
}
