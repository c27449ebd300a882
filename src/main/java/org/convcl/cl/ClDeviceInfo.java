package org.convcl.cl;

/**
 * What ConvCL knows about one OpenCL device: its place ({@code opencl:<platform>:<device>}) and the
 * limits that matter for kernels and buffers.
 *
 * @param type {@code GPU}, {@code CPU}, {@code ACCELERATOR} or {@code CUSTOM}
 * @param openClCVersion the OpenCL C version string the compiler accepts
 */
public record ClDeviceInfo(
    int platformIndex,
    String platformName,
    int deviceIndex,
    String name,
    String vendor,
    String type,
    int computeUnits,
    long globalMemBytes,
    long localMemBytes,
    long maxAllocBytes,
    long maxWorkGroupSize,
    String openClCVersion,
    boolean fp16,
    boolean fp64) {

  /** The device spec accepted by {@code --device}: {@code opencl:<platform>:<device>}. */
  public String spec() {
    return "opencl:" + platformIndex + ":" + deviceIndex;
  }

  /**
   * Null when {@code bytes} of local memory fit this device, else why not: {@code need} (what needs
   * them, e.g. "the tiles") with the size and the device's limit.
   */
  String whyLocalMemoryFails(String need, long bytes) {
    if (bytes <= localMemBytes) {
      return null;
    }
    return need
        + " need "
        + bytes
        + " bytes of local memory, over CL_DEVICE_LOCAL_MEM_SIZE = "
        + localMemBytes
        + " of "
        + name;
  }

  public boolean isGpu() {
    return "GPU".equals(type);
  }

  /** A few lines for {@code convcl devices}. */
  public String describe() {
    return spec()
        + "  "
        + name
        + "\n  platform:            "
        + platformIndex
        + " "
        + platformName
        + "\n  vendor:              "
        + vendor
        + "\n  type:                "
        + type
        + "\n  compute units:       "
        + computeUnits
        + "\n  global memory:       "
        + mib(globalMemBytes)
        + "\n  local memory:        "
        + kib(localMemBytes)
        + "\n  max allocation:      "
        + mib(maxAllocBytes)
        + "\n  max work-group size: "
        + maxWorkGroupSize
        + "\n  OpenCL C version:    "
        + openClCVersion
        + "\n  fp16: "
        + (fp16 ? "yes" : "no")
        + ", fp64: "
        + (fp64 ? "yes" : "no");
  }

  private static String mib(long bytes) {
    return String.format("%,d MiB", bytes >> 20);
  }

  private static String kib(long bytes) {
    return String.format("%,d KiB", bytes >> 10);
  }
}
