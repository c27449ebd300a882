package org.convcl.cl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;
import static org.jocl.CL.CL_QUEUE_PROPERTIES;

import org.convcl.impl.DeviceKey;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_queue_properties;

/**
 * One device's context and in-order command queue (profiling enabled, so the bench can read kernel
 * times from events). Released in reverse order of creation by {@link #close()}.
 *
 * <p>The constructor calls {@code CL.setExceptionsEnabled(true)}, which is process-global JOCL
 * state: from then on every JOCL call in this JVM, including another library's, throws {@code
 * CLException} instead of returning an error code. It is the one piece of global mutable state
 * ConvCL touches; {@link ClCall} relies on it.
 */
public final class ClRuntime implements AutoCloseable {
  /** cl_nv_device_attribute_query: the compute capability (not named by JOCL). */
  private static final int CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV = 0x4000;

  private static final int CL_DEVICE_COMPUTE_CAPABILITY_MINOR_NV = 0x4001;

  private final ClDeviceInfo info;
  private final cl_device_id device;
  private final cl_context context;
  private final cl_command_queue queue;
  private boolean closed;

  ClRuntime(ClDevices.Handle handle) {
    CL.setExceptionsEnabled(true);
    this.info = handle.info();
    this.device = handle.device();
    String where = "opening " + info.spec() + " (" + info.name() + ")";
    cl_context_properties props = new cl_context_properties();
    props.addProperty(CL_CONTEXT_PLATFORM, handle.platform());
    this.context =
        ClCall.get(
            "clCreateContext",
            () -> where,
            () -> CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null));
    try {
      this.queue = ClCall.get("clCreateCommandQueue", () -> where, this::createQueue);
    } catch (RuntimeException e) {
      CL.clReleaseContext(context);
      throw e;
    }
  }

  private cl_command_queue createQueue() {
    if (ClDevices.string(device, CL_DEVICE_VERSION).startsWith("OpenCL 1.")) {
      return createQueue12();
    }
    cl_queue_properties props = new cl_queue_properties();
    props.addProperty(CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE);
    return CL.clCreateCommandQueueWithProperties(context, device, props, null);
  }

  /** OpenCL 1.x devices lack clCreateCommandQueueWithProperties. */
  @SuppressWarnings("deprecation")
  private cl_command_queue createQueue12() {
    return CL.clCreateCommandQueue(context, device, CL_QUEUE_PROFILING_ENABLE, null);
  }

  public ClDeviceInfo info() {
    return info;
  }

  /**
   * How choice tables and program caches key this device: vendor, architecture (NVIDIA's compute
   * capability {@code sm_XY} where the driver reports it, else the device name), name, driver
   * version and type ({@code CPU}, {@code GPU}, ...).
   */
  DeviceKey deviceKey() {
    String driver = ClDevices.string(device, CL_DRIVER_VERSION);
    return new DeviceKey(
        ClOps.PROVIDER, info.vendor(), architecture(), info.name(), driver, info.type());
  }

  private String architecture() {
    if (ClDevices.string(device, CL_DEVICE_EXTENSIONS).contains("cl_nv_device_attribute_query")) {
      int[] v = new int[1];
      try {
        CL.clGetDeviceInfo(device, CL_DEVICE_COMPUTE_CAPABILITY_MAJOR_NV, 4, Pointer.to(v), null);
        int major = v[0];
        CL.clGetDeviceInfo(device, CL_DEVICE_COMPUTE_CAPABILITY_MINOR_NV, 4, Pointer.to(v), null);
        return "sm_" + major + v[0];
      } catch (CLException e) {
        return info.name();
      }
    }
    return info.name();
  }

  cl_device_id device() {
    return device;
  }

  cl_context context() {
    return context;
  }

  cl_command_queue queue() {
    return queue;
  }

  public boolean isOpen() {
    return !closed;
  }

  /** Waits for everything enqueued so far. */
  public void finish() {
    ClCall.run("clFinish", () -> "finish on " + info.spec(), () -> CL.clFinish(queue));
  }

  /** Submits everything enqueued so far, without waiting. */
  public void flush() {
    ClCall.run("clFlush", () -> "flush on " + info.spec(), () -> CL.clFlush(queue));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    CL.clReleaseCommandQueue(queue);
    CL.clReleaseContext(context);
  }
}
