package org.convcl.cl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.Numeric;

/**
 * The same tensors on the oracle ({@code [0]}, {@link org.convcl.ref.RefOps}) and on OpenCL ({@code
 * [1]}), closed together. OpenCL outputs are poisoned before each test (NaN, or -7 for ints), so an
 * element a kernel forgets to write fails the comparison.
 */
final class Twin implements AutoCloseable {
  static final int INT_POISON = -7;

  final Ops ref = ClTestSupport.ref();
  final ClOps cl = ClTestSupport.ops();
  private final List<Tensor> owned = new ArrayList<>();

  Tensor[] upload(Shape s, float[] data) {
    return keep(ref.upload(s, data), cl.upload(s, data));
  }

  Tensor[] uploadInts(Shape s, int[] data) {
    return keep(ref.uploadInts(s, data), cl.uploadInts(s, data));
  }

  /** A float output: zeros on the reference, NaN on the device. */
  Tensor[] output(Shape s) {
    Tensor[] t =
        keep(ref.upload(s, new float[s.size()]), cl.allocate(s, org.convcl.tensor.DType.FLOAT32));
    cl.fill(t[1], Float.NaN);
    return t;
  }

  /** An int output: zeros on the reference, INT_POISON on the device. */
  Tensor[] outputInts(Shape s) {
    int[] poison = new int[s.size()];
    Arrays.fill(poison, INT_POISON);
    return keep(ref.uploadInts(s, new int[s.size()]), cl.uploadInts(s, poison));
  }

  /** Poisons the device side of an existing pair again (before a second kernel writes it). */
  void poison(Tensor[] t) {
    cl.fill(t[1], Float.NaN);
  }

  /** Poisons the device side of an int pair again (INT_POISON). */
  void poisonInts(Tensor[] t) {
    int[] poison = new int[t[1].shape().size()];
    Arrays.fill(poison, INT_POISON);
    cl.writeInts(t[1], poison);
  }

  void assertClose(String context, Tensor[] t, Tolerance.Tol tol) {
    ArrayDiff.assertClose(
        context, t[0].shape(), ref.read(t[0]), cl.read(t[1]), tol.atol(), tol.rtol());
  }

  /** Each element within its own bound (see {@link Tolerance#sumBound}). */
  void assertWithin(String context, Tensor[] t, double[] bound) {
    ArrayDiff.assertWithin(
        context, t[0].shape(), Numeric.toDouble(ref.read(t[0])), cl.read(t[1]), bound);
  }

  void assertEqualInts(String context, Tensor[] t) {
    ArrayDiff.assertEqualInts(context, t[0].shape(), ref.readInts(t[0]), cl.readInts(t[1]));
  }

  private Tensor[] keep(Tensor a, Tensor b) {
    owned.add(a);
    owned.add(b);
    return new Tensor[] {a, b};
  }

  @Override
  public void close() {
    owned.forEach(Tensor::close);
    owned.clear();
  }
}
