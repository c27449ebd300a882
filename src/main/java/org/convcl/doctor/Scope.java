package org.convcl.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The tensors of one check on one backend. Inputs come from a seeded generator, so the same check
 * body sees the same data on the device and on the reference; outputs are poisoned (NaN, or -7 for
 * ints) before the op runs and are read back, in the order they were made, as the check's results.
 */
final class Scope implements AutoCloseable {
  static final int INT_POISON = -7;

  private final Ops ops;
  private final Random random;
  private final List<Tensor> owned = new ArrayList<>();
  private final List<Tensor> results = new ArrayList<>();
  private final List<float[]> scalars = new ArrayList<>();

  Scope(Ops ops, long seed) {
    this.ops = ops;
    this.random = new Random(seed);
  }

  Ops ops() {
    return ops;
  }

  /** Uniform in [-1, 1). */
  Tensor in(Shape s) {
    return keep(ops.upload(s, values(s, -1, 2)));
  }

  /** Uniform in [0.5, 1.5): variances, scales. */
  Tensor positive(Shape s) {
    return keep(ops.upload(s, values(s, 0.5f, 1)));
  }

  /** Class labels in [0, classes). */
  Tensor labels(int n, int classes) {
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = random.nextInt(classes);
    }
    return keep(ops.uploadInts(Shape.of(n), l));
  }

  /** A float output, NaN until the op writes it; read back as a result. */
  Tensor out(Shape s) {
    Tensor t = keep(ops.allocate(s, DType.FLOAT32));
    ops.fill(t, Float.NaN);
    results.add(t);
    return t;
  }

  /** An int output, {@link #INT_POISON} until the op writes it; read back as a result. */
  Tensor outInts(Shape s) {
    int[] poison = new int[s.size()];
    java.util.Arrays.fill(poison, INT_POISON);
    Tensor t = keep(ops.uploadInts(s, poison));
    results.add(t);
    return t;
  }

  /** A tensor the op updates in place (parameters, running statistics): random, read back. */
  Tensor state(Shape s) {
    Tensor t = in(s);
    results.add(t);
    return t;
  }

  /** Like {@link #state} but positive. */
  Tensor positiveState(Shape s) {
    Tensor t = positive(s);
    results.add(t);
    return t;
  }

  /** A scratch tensor that is neither input data nor a result (e.g. an argmax fed onwards). */
  Tensor scratch(Shape s, DType type) {
    return keep(ops.allocate(s, type));
  }

  /** A scalar result (e.g. a sum). */
  void scalar(double v) {
    scalars.add(new float[] {(float) v});
  }

  /** Every result, read back: tensors in order of creation (ints as floats), then scalars. */
  List<float[]> results() {
    List<float[]> out = new ArrayList<>();
    for (Tensor t : results) {
      if (t.dtype() == DType.INT32) {
        int[] a = ops.readInts(t);
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
          f[i] = a[i];
        }
        out.add(f);
      } else {
        out.add(ops.read(t));
      }
    }
    out.addAll(scalars);
    return out;
  }

  /** Whether result {@code i} holds ints (compared exactly). */
  boolean isInts(int i) {
    return i < results.size() && results.get(i).dtype() == DType.INT32;
  }

  private float[] values(Shape s, float lo, float width) {
    float[] a = new float[s.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = lo + width * random.nextFloat();
    }
    return a;
  }

  private Tensor keep(Tensor t) {
    owned.add(t);
    return t;
  }

  @Override
  public void close() {
    owned.forEach(Tensor::close);
    owned.clear();
  }
}
