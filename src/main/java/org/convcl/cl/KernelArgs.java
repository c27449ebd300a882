package org.convcl.cl;

import org.convcl.ops.Activation;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Sets a kernel's arguments in declaration order: each call takes the next index, so no call site
 * spells an index.
 */
final class KernelArgs {
  private final cl_kernel kernel;
  private final String kernelName;
  private int index;

  KernelArgs(cl_kernel kernel, String kernelName) {
    this.kernel = kernel;
    this.kernelName = kernelName;
  }

  KernelArgs mem(cl_mem buffer) {
    return set(Sizeof.cl_mem, Pointer.to(buffer));
  }

  KernelArgs tensor(ClTensor t) {
    return mem(t.buffer());
  }

  KernelArgs i(int value) {
    return set(Sizeof.cl_int, Pointer.to(new int[] {value}));
  }

  KernelArgs bool(boolean value) {
    return i(value ? 1 : 0);
  }

  KernelArgs f(float value) {
    return set(Sizeof.cl_float, Pointer.to(new float[] {value}));
  }

  KernelArgs ul(long value) {
    return set(Sizeof.cl_ulong, Pointer.to(new long[] {value}));
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
    return set(bytes, null);
  }

  private KernelArgs set(long size, Pointer value) {
    int at = index++;
    ClCall.run(
        "clSetKernelArg",
        () -> kernelName + " argument " + at,
        () -> CL.clSetKernelArg(kernel, at, size, value));
    return this;
  }
}
