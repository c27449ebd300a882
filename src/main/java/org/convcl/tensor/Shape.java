package org.convcl.tensor;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The dimensions of a dense row-major tensor. Image tensors are NCHW: {@code [N][C][H][W]}, dense
 * activations are {@code [N][F]}. A shape is immutable and every dimension is at least 1: an empty
 * tensor is always a caller error.
 */
public final class Shape {
  /**
   * The most elements a tensor may hold: the largest array the JVM can make (a few header words
   * below {@code Integer.MAX_VALUE}). The CPU backend's heap allocator uses the same limit.
   */
  public static final int MAX_SIZE = Integer.MAX_VALUE - 8;

  private final int[] dims;
  private final long size;

  private Shape(int[] dims) {
    Require.that(dims.length >= 1, "rank", dims.length, "a shape needs at least one dimension");
    long s = 1;
    for (int i = 0; i < dims.length; i++) {
      // The messages are built only on failure: shapes are made on every op call (geometry
      // checks), and formatting them eagerly cost ~1 KB of garbage per shape.
      if (dims[i] <= 0) {
        Require.positive("dimension " + i + " of shape " + Arrays.toString(dims), dims[i]);
      }
      // Checked at every step: each factor is below 2^31 and the running product at most
      // MAX_SIZE, so the product never wraps a long (a check after the loop would see 65536^4 as
      // 0).
      s = Math.multiplyExact(s, dims[i]);
      if (s > MAX_SIZE) {
        Require.that(
            false,
            "size of shape " + Arrays.toString(dims),
            sizeText(dims),
            "must be at most " + MAX_SIZE + " to fit in a Java array");
      }
    }
    this.dims = dims;
    this.size = s;
  }

  /** The exact product of {@code dims}, for the error message (it may exceed a long). */
  private static String sizeText(int[] dims) {
    BigInteger p = BigInteger.ONE;
    for (int d : dims) {
      p = p.multiply(BigInteger.valueOf(d));
    }
    return p.toString();
  }

  /** A shape of the given dimensions, outermost first. */
  public static Shape of(int... dims) {
    Require.that(dims != null, "dims", null, "must be given");
    return new Shape(dims.clone());
  }

  /** An image batch: {@code [N][C][H][W]}. */
  public static Shape nchw(int n, int c, int h, int w) {
    return new Shape(new int[] {n, c, h, w});
  }

  public int rank() {
    return dims.length;
  }

  public int dim(int i) {
    return dims[i];
  }

  public int[] dims() {
    return dims.clone();
  }

  /** Number of elements. */
  public int size() {
    return (int) size;
  }

  /** Batch size: the first dimension. */
  public int batch() {
    return dims[0];
  }

  /** Elements per batch item: the product of every dimension but the first. */
  public int perItem() {
    return (int) (size / dims[0]);
  }

  /**
   * The same shape with the first dimension replaced; used when the last batch of an epoch is
   * smaller.
   */
  public Shape withBatch(int n) {
    int[] d = dims.clone();
    d[0] = n;
    return new Shape(d);
  }

  /** Requires rank 4 (NCHW) and returns this shape; {@code what} names the tensor in the error. */
  public Shape requireRank(String what, int rank) {
    if (dims.length != rank) {
      throw new IllegalArgumentException(
          what + " has shape " + this + " but rank " + rank + " was expected");
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Written as {@code 2x3x28x28}, the form the CLI accepts too. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        b.append('x');
      }
      b.append(dims[i]);
    }
    return b.toString();
  }
}
