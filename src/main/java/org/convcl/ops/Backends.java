package org.convcl.ops;

import java.util.Locale;
import org.convcl.cpu.CpuOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the backend a user asked for: {@code cpu}, {@code opencl}, {@code
 * opencl:<platform>:<device>} or {@code auto}. A null or blank spec reads the {@code CONVCL_DEVICE}
 * environment variable, then defaults to {@code auto}.
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
    if (s.equals("cpu") || s.equals("auto")) {
      LOG.info("Using the plain-Java CPU backend ({})", s.equals("cpu") ? "asked for" : "auto");
      return new CpuOps();
    }
    throw new IllegalArgumentException(
        "device = " + spec + ": unknown; use auto, cpu, opencl or opencl:<platform>:<device>");
  }
}
