package org.convcl.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
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
    return resolve(spec, System::getenv).value();
  }

  /**
   * A device spec as {@link #open} will use it (trimmed, lower case), with where it came from for
   * messages: {@code device} (given), {@code $CONVCL_DEVICE} or {@code default}.
   */
  record Resolved(String value, String source) {
    /** How error messages show it, e.g. {@code $CONVCL_DEVICE = gpu}. */
    String described() {
      return source + " = " + value;
    }

    /** For logs: "asked for", or "asked for by $CONVCL_DEVICE". */
    String askedFor() {
      return source.equals("device") ? "asked for" : "asked for by " + source;
    }
  }

  /** {@code env} looks up an environment variable (injectable so tests need not mutate it). */
  static Resolved resolve(String spec, UnaryOperator<String> env) {
    if (spec != null && !spec.isBlank()) {
      return new Resolved(spec.trim().toLowerCase(Locale.ROOT), "device");
    }
    String fromEnv = env.apply(DEVICE_ENV);
    return fromEnv != null && !fromEnv.isBlank()
        ? new Resolved(fromEnv.trim().toLowerCase(Locale.ROOT), "$" + DEVICE_ENV)
        : new Resolved("auto", "default");
  }

  public static Ops open(String spec) {
    return open(spec, System::getenv);
  }

  static Ops open(String spec, UnaryOperator<String> env) {
    Resolved r = resolve(spec, env);
    String s = r.value();
    if (s.equals("cpu")) {
      LOG.info("Using the plain-Java CPU backend ({})", r.askedFor());
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
      int[] pd = parseDevice(r);
      ClOps ops = new ClOps(pd[0], pd[1]);
      LOG.info("Using OpenCL device {} ({})", ops.name(), r.askedFor());
      return ops;
    }
    throw new IllegalArgumentException(
        r.described() + ": unknown; available: " + String.join(", ", available()));
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

  private static int[] parseDevice(Resolved r) {
    String[] parts = r.value().split(":");
    if (parts.length == 3) {
      try {
        return new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException(
        r.described()
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
