package org.convcl.cl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.ArrayDiff;

/**
 * The same tensors on the oracle ({@code [0]}, CpuOps) and on OpenCL ({@code [1]}), closed
 * together. OpenCL outputs are poisoned before each test (NaN, or -7 for ints), so an element a
 * kernel forgets to write fails the comparison.
 */
final class Twin implements AutoCloseable {
  static final int INT_POISON = -7;

  final Ops cpu = ClTestSupport.cpu();
  final ClOps cl = ClTestSupport.ops();
  private final List<Tensor> owned = new ArrayList<>();

  Tensor[] upload(Shape s, float[] data) {
    return keep(cpu.upload(s, data), cl.upload(s, data));
  }

  Tensor[] uploadInts(Shape s, int[] data) {
    return keep(cpu.uploadInts(s, data), cl.uploadInts(s, data));
  }

  /** A float output: zeros on the CPU, NaN on the device. */
  Tensor[] output(Shape s) {
    Tensor[] t =
        keep(cpu.upload(s, new float[s.size()]), cl.allocate(s, org.convcl.tensor.DType.FLOAT32));
    cl.fill(t[1], Float.NaN);
    return t;
  }

  /** An int output: zeros on the CPU, INT_POISON on the device. */
  Tensor[] outputInts(Shape s) {
    int[] poison = new int[s.size()];
    Arrays.fill(poison, INT_POISON);
    return keep(cpu.uploadInts(s, new int[s.size()]), cl.uploadInts(s, poison));
  }

  /** Poisons the device side of an existing pair again (before a second kernel writes it). */
  void poison(Tensor[] t) {
    cl.fill(t[1], Float.NaN);
  }

  void assertClose(String context, Tensor[] t, Tolerance.Tol tol) {
    ArrayDiff.assertClose(
        context, t[0].shape(), cpu.read(t[0]), cl.read(t[1]), tol.atol(), tol.rtol());
  }

  void assertEqualInts(String context, Tensor[] t) {
    ArrayDiff.assertEqualInts(context, t[0].shape(), cpu.readInts(t[0]), cl.readInts(t[1]));
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
