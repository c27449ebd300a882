package org.convcl.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.convcl.cl.ClDeviceInfo;
import org.convcl.cl.ClDevices;
import org.convcl.cl.ClOps;
import org.convcl.cl.OpenClUnavailableException;
import org.convcl.cpu.CpuOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the backend a user asked for: {@code cpu}, {@code opencl}, {@code
 * opencl:<platform>:<device>} or {@code auto}. A null or blank spec reads the {@code CONVCL_DEVICE}
 * environment variable, then defaults to {@code auto}.
 *
 * <p>{@code auto} prefers a GPU, then any OpenCL device, then the plain-Java CPU backend, and logs
 * which it took and why. {@code opencl} takes the first GPU, else the first OpenCL device (PoCL on
 * a machine without a GPU); without OpenCL it throws {@link OpenClUnavailableException}, whose
 * message says what to install.
 */
public final class Backends {
  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

  /** The environment variable that picks a device when no {@code --device} is given. */
  public static final String DEVICE_ENV = "CONVCL_DEVICE";

  private Backends() {}

  /**
   * The spec that {@link #open(String)} would use for {@code spec}: itself, the environment's, or
   * auto.
   */
  public static String resolveSpec(String spec) {
    if (spec != null && !spec.isBlank()) {
      return spec.trim().toLowerCase(Locale.ROOT);
    }
    String env = System.getenv(DEVICE_ENV);
    return env != null && !env.isBlank() ? env.trim().toLowerCase(Locale.ROOT) : "auto";
  }

  public static Ops open(String spec) {
    String s = resolveSpec(spec);
    if (s.equals("cpu")) {
      LOG.info("Using the plain-Java CPU backend (asked for)");
      return new CpuOps();
    }
    if (s.equals("auto")) {
      return auto();
    }
    if (s.equals("opencl")) {
      ClDeviceInfo d = preferred(ClDevices.list());
      LOG.info("Using OpenCL device {} {} ({}, asked for opencl)", d.spec(), d.name(), d.type());
      return ClOps.open(d);
    }
    if (s.startsWith("opencl:")) {
      int[] pd = parseDevice(spec, s);
      ClOps ops = new ClOps(pd[0], pd[1]);
      LOG.info("Using OpenCL device {} (asked for)", ops.name());
      return ops;
    }
    throw new IllegalArgumentException(
        "device = " + spec + ": unknown; available: " + String.join(", ", available()));
  }

  private static Ops auto() {
    List<ClDeviceInfo> devices;
    try {
      devices = ClDevices.list();
    } catch (OpenClUnavailableException e) {
      LOG.info("auto: using the plain-Java CPU backend because {}", e.getMessage());
      return new CpuOps();
    }
    ClDeviceInfo d = preferred(devices);
    try {
      ClOps ops = ClOps.open(d);
      LOG.info(
          "auto: using OpenCL device {} {} ({}) because {}",
          d.spec(),
          d.name(),
          d.type(),
          d.isGpu() ? "it is a GPU" : "no GPU was found and it is the first OpenCL device");
      return ops;
    } catch (RuntimeException e) {
      LOG.warn(
          "auto: OpenCL device {} could not be opened ({}); using the plain-Java CPU backend",
          d.spec(),
          e.getMessage());
      return new CpuOps();
    }
  }

  /** The first GPU, else the first device. */
  private static ClDeviceInfo preferred(List<ClDeviceInfo> devices) {
    for (ClDeviceInfo d : devices) {
      if (d.isGpu()) {
        return d;
      }
    }
    return devices.get(0);
  }

  private static int[] parseDevice(String spec, String s) {
    String[] parts = s.split(":");
    if (parts.length == 3) {
      try {
        return new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException(
        "device = "
            + spec
            + ": must be opencl:<platform>:<device> with two numbers; available: "
            + String.join(", ", available()));
  }

  /** What {@link #open} accepts on this machine, for error messages. */
  private static List<String> available() {
    List<String> specs = new ArrayList<>(List.of("auto", "cpu"));
    try {
      List<ClDeviceInfo> devices = ClDevices.list();
      specs.add("opencl");
      for (ClDeviceInfo d : devices) {
        specs.add(d.spec() + " (" + d.name() + ", " + d.type() + ")");
      }
    } catch (OpenClUnavailableException e) {
      specs.add("(no OpenCL: " + e.getMessage() + ")");
    }
    return specs;
  }
}
