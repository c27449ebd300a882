package org.convcl.cl;

import static org.jocl.CL.CL_DEVICE_DOUBLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_OPENCL_C_VERSION;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_PLATFORM_NAME;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Enumerates OpenCL platforms and devices through JOCL. Holds no state. */
public final class ClDevices {
  private ClDevices() {}

  /** A device's JOCL handles with its description. */
  record Handle(cl_platform_id platform, cl_device_id device, ClDeviceInfo info) {}

  /**
   * Every device of every platform, in platform then device order.
   *
   * @throws OpenClUnavailableException when libOpenCL.so cannot be loaded or no platform exists
   */
  public static List<ClDeviceInfo> list() {
    List<ClDeviceInfo> infos = new ArrayList<>();
    for (Handle h : handles()) {
      infos.add(h.info());
    }
    return infos;
  }

  /** The handles of device {@code opencl:<platform>:<device>}. */
  static Handle find(int platform, int device) {
    List<Handle> all = handles();
    for (Handle h : all) {
      if (h.info().platformIndex() == platform && h.info().deviceIndex() == device) {
        return h;
      }
    }
    throw new IllegalArgumentException(
        "OpenCL device opencl:" + platform + ":" + device + " does not exist; found " + specs(all));
  }

  static String specs(List<Handle> handles) {
    List<String> s = new ArrayList<>();
    for (Handle h : handles) {
      s.add(h.info().spec() + " (" + h.info().name() + ", " + h.info().type() + ")");
    }
    return s.isEmpty() ? "none" : String.join(", ", s);
  }

  static List<Handle> handles() {
    cl_platform_id[] platforms = platforms();
    List<Handle> handles = new ArrayList<>();
    for (int p = 0; p < platforms.length; p++) {
      cl_device_id[] devices = devices(platforms[p]);
      String platformName = string(platforms[p]);
      for (int d = 0; d < devices.length; d++) {
        handles.add(new Handle(platforms[p], devices[d], describe(p, platformName, d, devices[d])));
      }
    }
    if (handles.isEmpty()) {
      throw new OpenClUnavailableException("the OpenCL platforms have no devices", null);
    }
    return handles;
  }

  private static cl_platform_id[] platforms() {
    try {
      CL.setExceptionsEnabled(true);
      int[] count = new int[1];
      CL.clGetPlatformIDs(0, null, count);
      if (count[0] == 0) {
        throw new OpenClUnavailableException("no OpenCL platform is installed", null);
      }
      cl_platform_id[] platforms = new cl_platform_id[count[0]];
      CL.clGetPlatformIDs(count[0], platforms, null);
      return platforms;
    } catch (LinkageError e) {
      throw new OpenClUnavailableException(
          "the OpenCL library (libOpenCL.so) could not be loaded: " + e.getMessage(), e);
    } catch (CLException e) {
      throw new OpenClUnavailableException(
          "no OpenCL platform found (" + CL.stringFor_errorCode(e.getStatus()) + ")", e);
    }
  }

  private static cl_device_id[] devices(cl_platform_id platform) {
    try {
      int[] count = new int[1];
      CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
      cl_device_id[] devices = new cl_device_id[count[0]];
      CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, count[0], devices, null);
      return devices;
    } catch (CLException e) {
      return new cl_device_id[0]; // CL_DEVICE_NOT_FOUND: a platform without devices
    }
  }

  private static ClDeviceInfo describe(int p, String platformName, int d, cl_device_id device) {
    String extensions = string(device, CL_DEVICE_EXTENSIONS);
    return new ClDeviceInfo(
        p,
        platformName,
        d,
        string(device, CL_DEVICE_NAME),
        string(device, CL_DEVICE_VENDOR),
        typeName(number(device, CL_DEVICE_TYPE, Sizeof.cl_ulong)),
        (int) number(device, CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint),
        number(device, CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong),
        number(device, CL_DEVICE_LOCAL_MEM_SIZE, Sizeof.cl_ulong),
        number(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, Sizeof.cl_ulong),
        number(device, CL_DEVICE_MAX_WORK_GROUP_SIZE, Sizeof.size_t),
        string(device, CL_DEVICE_OPENCL_C_VERSION),
        extensions.contains("cl_khr_fp16"),
        extensions.contains("cl_khr_fp64")
            || number(device, CL_DEVICE_DOUBLE_FP_CONFIG, Sizeof.cl_ulong) != 0);
  }

  private static String typeName(long type) {
    if ((type & CL_DEVICE_TYPE_GPU) != 0) {
      return "GPU";
    }
    if ((type & CL_DEVICE_TYPE_CPU) != 0) {
      return "CPU";
    }
    if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
      return "ACCELERATOR";
    }
    return "CUSTOM";
  }

  static String string(cl_device_id device, int param) {
    long[] size = new long[1];
    CL.clGetDeviceInfo(device, param, 0, null, size);
    byte[] bytes = new byte[(int) size[0]];
    CL.clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null);
    return text(bytes);
  }

  private static String string(cl_platform_id platform) {
    long[] size = new long[1];
    CL.clGetPlatformInfo(platform, CL_PLATFORM_NAME, 0, null, size);
    byte[] bytes = new byte[(int) size[0]];
    CL.clGetPlatformInfo(platform, CL_PLATFORM_NAME, bytes.length, Pointer.to(bytes), null);
    return text(bytes);
  }

  /** A numeric property of {@code size} bytes (cl_uint, cl_ulong or size_t), widened to long. */
  private static long number(cl_device_id device, int param, int size) {
    try {
      long[] value = new long[1];
      CL.clGetDeviceInfo(device, param, size, Pointer.to(value), null);
      return size == Sizeof.cl_uint ? value[0] & 0xFFFFFFFFL : value[0];
    } catch (CLException e) {
      return 0; // an optional property (e.g. CL_DEVICE_DOUBLE_FP_CONFIG on OpenCL 1.0)
    }
  }

  private static String text(byte[] bytes) {
    int n = bytes.length;
    while (n > 0 && bytes[n - 1] == 0) {
      n--;
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
  }
}
