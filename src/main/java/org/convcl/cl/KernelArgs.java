package org.convcl.cl;

import java.util.Arrays;
import org.convcl.ops.Activation;
import org.jocl.cl_mem;

/**
 * A kernel's arguments in declaration order: each call takes the next index, so no call site spells
 * an index. The values are only recorded here; {@link KernelInstances} passes to the driver, when
 * the launch is enqueued, just those that differ from what the chosen kernel instance already
 * holds.
 */
final class KernelArgs {
  /** What an argument is: a buffer, a scalar of 4 or 8 bytes, or a {@code __local} allocation. */
  enum Kind {
    MEM,
    INT,
    FLOAT,
    ULONG,
    LOCAL
  }

  private final String kernelName;
  private Kind[] kinds = new Kind[16];
  private cl_mem[] buffers = new cl_mem[16];
  private long[] values = new long[16]; // int/float bits, ulong, or local bytes
  private int count;

  KernelArgs(String kernelName) {
    this.kernelName = kernelName;
  }

  KernelArgs mem(cl_mem buffer) {
    return add(Kind.MEM, buffer, 0);
  }

  KernelArgs tensor(ClTensor t) {
    return mem(t.buffer());
  }

  KernelArgs i(int value) {
    return add(Kind.INT, null, value);
  }

  KernelArgs bool(boolean value) {
    return i(value ? 1 : 0);
  }

  KernelArgs f(float value) {
    return add(Kind.FLOAT, null, Float.floatToRawIntBits(value));
  }

  KernelArgs ul(long value) {
    return add(Kind.ULONG, null, value);
  }

  /**
   * The two arguments of common.cl's {@code EPILOGUE_PARAMS}: the activation a forward kernel fuses
   * into its stores (null: none). Only those the kernels implement (ReLU, leaky ReLU) are accepted.
   */
  KernelArgs epilogue(Activation a) {
    if (a == null) {
      return i(EPILOGUE_NONE).f(0f);
    }
    if (a.kind() != Activation.Kind.RELU && a.kind() != Activation.Kind.LEAKY_RELU) {
      throw new IllegalArgumentException(
          "epilogue: " + a + " cannot be fused (only ReLU and leaky ReLU), in " + kernelName);
    }
    return i(ElementwiseKernels.code(a)).f(a.alpha());
  }

  /** common.cl's EPILOGUE_NONE. */
  private static final int EPILOGUE_NONE = -1;

  /** A {@code __local} buffer of {@code bytes} bytes, allocated by the driver for each group. */
  KernelArgs local(long bytes) {
    return add(Kind.LOCAL, null, bytes);
  }

  private KernelArgs add(Kind kind, cl_mem buffer, long value) {
    if (count == kinds.length) {
      kinds = Arrays.copyOf(kinds, 2 * count);
      buffers = Arrays.copyOf(buffers, 2 * count);
      values = Arrays.copyOf(values, 2 * count);
    }
    kinds[count] = kind;
    buffers[count] = buffer;
    values[count] = value;
    count++;
    return this;
  }

  /** Records argument {@code at}: replaces it, or appends it when {@code at} is the next index. */
  void put(int at, Kind kind, cl_mem buffer, long value) {
    if (at == count) {
      add(kind, buffer, value);
      return;
    }
    kinds[at] = kind;
    buffers[at] = buffer;
    values[at] = value;
  }

  int count() {
    return count;
  }

  Kind kind(int at) {
    return kinds[at];
  }

  cl_mem buffer(int at) {
    return buffers[at];
  }

  long value(int at) {
    return values[at];
  }
}
