package org.convcl.ops;

import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.convcl.tensor.Shape;

/**
 * Every large array of the CPU backend (tensors and the im2col scratch), and the host copies of
 * layer parameters ({@code org.convcl.nn}), is made here, so running out of heap ends in a {@link
 * DeviceMemoryException} that names what was being allocated, the bytes and the heap left, with a
 * hint, instead of a raw {@link OutOfMemoryError} stack trace.
 *
 * <p>A request larger than the whole heap (or than a Java array) is refused before trying. Below
 * that, the allocation is attempted and an {@code OutOfMemoryError} converted: comparing against
 * {@code maxMemory - used} up front would refuse requests that succeed after a garbage collection,
 * because "used" counts garbage (the per-call scratch arrays leave a lot of it). A failed single
 * large array allocation leaves the heap as it was, so continuing after it is safe.
 */
public final class HeapMemory {
  /** Head room for everything that is not a tensor: loaders, the JIT, thread stacks. */
  private static final long MARGIN_BYTES = 32L << 20;

  /** The largest array the JVM can make; the same limit as the largest {@link Shape}. */
  private static final long MAX_ARRAY = Shape.MAX_SIZE;

  private HeapMemory() {}

  /** A float array of {@code length}; {@code what} names it in the error when it does not fit. */
  public static float[] floats(long length, Supplier<String> what) {
    return allocate(length, 4, float[]::new, what);
  }

  public static int[] ints(long length, Supplier<String> what) {
    return allocate(length, 4, int[]::new, what);
  }

  public static double[] doubles(long length, Supplier<String> what) {
    return allocate(length, 8, double[]::new, what);
  }

  private static <A> A allocate(
      long length, int elementBytes, IntFunction<A> make, Supplier<String> what) {
    check(length, elementBytes, what);
    try {
      return make.apply((int) length);
    } catch (OutOfMemoryError e) {
      throw exhausted(length, elementBytes, what, e);
    }
  }

  private static void check(long length, int elementBytes, Supplier<String> what) {
    if (length > MAX_ARRAY) {
      throw new DeviceMemoryException(
          String.format(
              "cpu: %s needs %,d elements (%,d bytes), more than a Java array holds (%,d); %s",
              what.get(), length, length * elementBytes, MAX_ARRAY, HINT_SMALLER));
    }
    if (length * elementBytes > Runtime.getRuntime().maxMemory() - MARGIN_BYTES) {
      throw exhausted(length, elementBytes, what, null);
    }
  }

  private static DeviceMemoryException exhausted(
      long length, int elementBytes, Supplier<String> what, Throwable cause) {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    return new DeviceMemoryException(
        String.format(
            "cpu: %s needs %,d bytes but the Java heap has %,d of its %,d bytes in use; %s",
            what.get(), length * elementBytes, used, rt.maxMemory(), HINT_HEAP),
        cause);
  }

  private static final String HINT_SMALLER = "try a smaller batch size or a smaller model";

  private static final String HINT_HEAP =
      "try a smaller batch size, or a larger heap (e.g. -Xmx8g)";
}
