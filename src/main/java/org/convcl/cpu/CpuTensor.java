package org.convcl.cpu;

import java.util.function.Supplier;
import org.convcl.ops.HeapMemory;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * A tensor of the plain-Java backend: a {@code float[]} or {@code int[]} on the heap in row-major
 * order. Views share the array of their base and do not own it.
 */
final class CpuTensor implements Tensor {
  private final CpuOps owner;
  private final Shape shape;
  private final DType dtype;
  private final float[] floats;
  private final int[] ints;
  private final CpuTensor base;
  private boolean open = true;

  private CpuTensor(CpuOps owner, Shape shape, DType dtype, float[] f, int[] i, CpuTensor base) {
    this.owner = owner;
    this.shape = shape;
    this.dtype = dtype;
    this.floats = f;
    this.ints = i;
    this.base = base;
  }

  static CpuTensor allocate(CpuOps owner, Shape shape, DType dtype) {
    Supplier<String> what = () -> "a " + dtype + " tensor " + shape;
    return dtype == DType.FLOAT32
        ? new CpuTensor(owner, shape, dtype, HeapMemory.floats(shape.size(), what), null, null)
        : new CpuTensor(owner, shape, dtype, null, HeapMemory.ints(shape.size(), what), null);
  }

  CpuTensor view(Shape newShape) {
    CpuTensor root = base == null ? this : base;
    return new CpuTensor(owner, newShape, dtype, floats, ints, root);
  }

  float[] floats() {
    return floats;
  }

  int[] ints() {
    return ints;
  }

  @Override
  public boolean sameStorage(Tensor other) {
    return other instanceof CpuTensor t && storage() == t.storage();
  }

  /** The array holding the elements, shared by a base and all its views. */
  private Object storage() {
    return floats != null ? floats : ints;
  }

  boolean isView() {
    return base != null;
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
    return open && (base == null || base.isOpen());
  }

  @Override
  public void close() {
    if (open && base == null) {
      owner.released(this);
    }
    open = false;
  }

  @Override
  public String toString() {
    return "CpuTensor[" + dtype + " " + shape + (base != null ? ", view" : "") + "]";
  }
}
