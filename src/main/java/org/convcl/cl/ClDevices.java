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

/**
 * Enumerates OpenCL platforms and devices through JOCL, once per process and safely from any
 * thread. Concurrent first enumerations crash some drivers (PoCL 3 dies with SIGSEGV inside {@code
 * clGetDeviceInfo} when two threads describe its devices at once), so enumeration runs under one
 * lock, and its result, the process-wide and immutable list of device handles, is kept: OpenCL
 * platform and device ids stay valid for the life of the process and mean the same to every engine.
 * A failed enumeration is not kept; the next call tries again.
 */
public final class ClDevices {
  private static final Object LOCK = new Object();

  /** The devices once enumerated (null before); written once under {@link #LOCK}. */
  private static volatile List<Handle> discovered;

  private ClDevices() {}

  /** {@code clGetDeviceIDs}, replaceable so a test can make it fail. */
  @FunctionalInterface
  interface DeviceIds {
    int get(cl_platform_id platform, long type, int entries, cl_device_id[] out, int[] count);
  }

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
    List<Handle> known = discovered;
    if (known != null) {
      return known;
    }
    synchronized (LOCK) {
      if (discovered == null) {
        discovered = List.copyOf(discover(CL::clGetDeviceIDs));
      }
      return discovered;
    }
  }

  /** Enumerates every device; callers hold {@link #LOCK}. */
  private static List<Handle> discover(DeviceIds ids) {
    SignalChaining.chained(); // warns once where it is missing
    cl_platform_id[] platforms = platforms();
    List<Handle> handles = new ArrayList<>();
    for (int p = 0; p < platforms.length; p++) {
      String platformName = string(platforms[p]);
      cl_device_id[] devices = devices(platforms[p], p, platformName, ids);
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

  /**
   * The devices of platform {@code p}: none when it reports {@code CL_DEVICE_NOT_FOUND}; any other
   * error is a {@link ClException} naming that error, not a missing OpenCL.
   */
  static cl_device_id[] devices(cl_platform_id platform, int p, String name, DeviceIds ids) {
    try {
      int[] count = new int[1];
      ids.get(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
      cl_device_id[] devices = new cl_device_id[count[0]];
      ids.get(platform, CL_DEVICE_TYPE_ALL, count[0], devices, null);
      return devices;
    } catch (CLException e) {
      if (e.getStatus() == CL.CL_DEVICE_NOT_FOUND) {
        return new cl_device_id[0]; // a platform without devices
      }
      throw new ClException(
          "clGetDeviceIDs",
          e.getStatus(),
          "listing the devices of platform " + p + " (" + name + ")",
          e);
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

  /** A string property; under the discovery lock, as drivers may not take concurrent queries. */
  static String string(cl_device_id device, int param) {
    synchronized (LOCK) {
      return stringUnlocked(device, param);
    }
  }

  private static String stringUnlocked(cl_device_id device, int param) {
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
