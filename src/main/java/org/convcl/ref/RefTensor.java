package org.convcl.ref;

import java.util.function.Supplier;
import org.convcl.ops.HeapMemory;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * A tensor of the reference backend: a row-major {@code float[]} or {@code int[]} on the heap.
 * Views share the array of their base and do not own it. Ops read a tensor as doubles and store
 * their double results rounded to float.
 */
final class RefTensor implements Tensor {
  private final RefOps owner;
  private final Shape shape;
  private final DType dtype;
  private final float[] floats;
  private final int[] ints;
  private final RefTensor base;
  private boolean open = true;

  private RefTensor(RefOps owner, Shape shape, DType dtype, float[] f, int[] i, RefTensor base) {
    this.owner = owner;
    this.shape = shape;
    this.dtype = dtype;
    this.floats = f;
    this.ints = i;
    this.base = base;
  }

  static RefTensor allocate(RefOps owner, Shape shape, DType dtype) {
    Supplier<String> what = () -> "a " + dtype + " tensor " + shape + " of the ref backend";
    return dtype == DType.FLOAT32
        ? new RefTensor(owner, shape, dtype, HeapMemory.floats(shape.size(), what), null, null)
        : new RefTensor(owner, shape, dtype, null, HeapMemory.ints(shape.size(), what), null);
  }

  RefTensor view(Shape newShape) {
    return new RefTensor(owner, newShape, dtype, floats, ints, base == null ? this : base);
  }

  float[] floats() {
    return floats;
  }

  int[] ints() {
    return ints;
  }

  /** The elements as doubles (a copy). */
  double[] doubles() {
    double[] d = new double[floats.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = floats[i];
    }
    return d;
  }

  /** Stores {@code values}, each rounded to the nearest float. */
  void store(double[] values) {
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
  }

  @Override
  public boolean sameStorage(Tensor other) {
    return other instanceof RefTensor t && storage() == t.storage();
  }

  private Object storage() {
    return floats != null ? floats : ints;
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
      owner.released();
    }
    open = false;
  }

  @Override
  public String toString() {
    return "RefTensor[" + dtype + " " + shape + (base != null ? ", view" : "") + "]";
  }
}
