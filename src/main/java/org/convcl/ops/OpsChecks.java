package org.convcl.ops;

import java.util.ArrayList;
import java.util.List;
import org.convcl.tensor.DType;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The argument checks every {@link Ops} method shares: ownership, dtype, shape and aliasing. Each
 * failure names the op, the parameter and the offending value, so both backends report bad calls
 * identically.
 */
final class OpsChecks {
  /** A tensor argument with the name the op's signature gives it, for alias checks. */
  record Named(String name, Tensor tensor) {}

  private final Ops ops;

  OpsChecks(Ops ops) {
    this.ops = ops;
  }

  static Named in(String name, Tensor tensor) {
    return new Named(name, tensor);
  }

  /** The backend has not been closed: a use after close fails the same way on every backend. */
  void open(String op) {
    if (ops.isClosed()) {
      throw new IllegalStateException(op + ": " + ops.name() + " was already closed");
    }
  }

  void owned(String op, String name, Tensor t) {
    open(op);
    if (t == null) {
      throw new IllegalArgumentException(op + ": " + name + " must not be null");
    }
    if (t.owner() != ops) {
      throw new IllegalArgumentException(
          op + ": " + name + " belongs to another backend (" + t.owner() + "), not " + ops.name());
    }
    if (!t.isOpen()) {
      throw new IllegalStateException(op + ": " + name + " " + t.shape() + " was already closed");
    }
  }

  void floats(String op, String name, Tensor t) {
    owned(op, name, t);
    Require.that(
        t.dtype() == DType.FLOAT32, op + ": " + name + " dtype", t.dtype(), "must be FLOAT32");
  }

  void floats(String op, String name, Tensor t, Shape expected) {
    floats(op, name, t);
    Require.sameShape(op, name, expected, t.shape());
  }

  void ints(String op, String name, Tensor t) {
    owned(op, name, t);
    Require.that(t.dtype() == DType.INT32, op + ": " + name + " dtype", t.dtype(), "must be INT32");
  }

  void ints(String op, String name, Tensor t, Shape expected) {
    ints(op, name, t);
    Require.sameShape(op, name, expected, t.shape());
  }

  Shape matrix(String op, String name, Tensor t) {
    floats(op, name, t);
    return t.shape().requireRank(op + ": " + name, 2);
  }

  static void length(String op, Tensor t, int length) {
    Require.that(
        length == t.shape().size(),
        op + ": data length",
        length,
        "must equal the tensor size " + t.shape().size() + " (" + t.shape() + ")");
  }

  /** The per-channel shape {@code [C]} of an {@code [N][C]} or {@code [N][C][H][W]} tensor. */
  Shape channels(String op, Tensor input) {
    floats(op, "input", input);
    int rank = input.shape().rank();
    Require.that(
        rank == 2 || rank == 4,
        op + ": input shape",
        input.shape(),
        "must be [N][C] or [N][C][H][W]");
    return Shape.of(input.shape().dim(1));
  }

  /** {@link #noAlias(String, List, Named...)} for an op with one output. */
  static void noAlias(String op, String outName, Tensor out, Named... inputs) {
    noAlias(op, List.of(in(outName, out)), inputs);
  }

  /**
   * Rejects an output that shares memory with an input or with another output. Storage is compared,
   * not references, so a view of an input is caught too: a kernel that reads and writes one buffer
   * in parallel gives a wrong answer on OpenCL while the CPU loop may happen to be right, and the
   * two backends would disagree silently. Null tensors (optional arguments) are skipped.
   */
  static void noAlias(String op, List<Named> outputs, Named... inputs) {
    List<Named> seen = new ArrayList<>(List.of(inputs));
    for (Named out : outputs) {
      for (Named other : seen) {
        if (shareStorage(out.tensor(), other.tensor())) {
          throw new IllegalArgumentException(
              op
                  + ": "
                  + out.name()
                  + " aliases "
                  + other.name()
                  + " ("
                  + out.tensor().shape()
                  + " and "
                  + other.tensor().shape()
                  + " share one buffer); outputs must not alias inputs or other outputs");
        }
      }
      seen.add(out);
    }
  }

  private static boolean shareStorage(Tensor a, Tensor b) {
    return a != null && b != null && a.sameStorage(b);
  }
}
