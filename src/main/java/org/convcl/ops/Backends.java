package org.convcl.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;
import org.convcl.impl.CacheDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the backend a device spec names. A spec is a provider's name ({@code cpu}, {@code ref},
 * {@code opencl}), optionally followed by a colon and what that provider makes of it ({@code
 * opencl:<platform>:<device>}), or {@code auto}. A null or blank spec reads the {@code
 * CONVCL_DEVICE} environment variable, then defaults to {@code auto}.
 *
 * <p>Backends are {@link BackendProvider}s found by {@link ServiceLoader}; this class names none.
 * {@code auto} asks every provider for its devices and opens the one ranked highest ({@link
 * DeviceEntry#autoRank()}: a GPU, then another OpenCL device, then plain Java; never the reference
 * backend), and logs which it took and why. Holds no state: safe from any thread.
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

  /** Every registered provider, in the order of their registrations. */
  public static List<BackendProvider> providers() {
    List<BackendProvider> list = new ArrayList<>();
    ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(list::add);
    return list;
  }

  /** The provider called {@code name}, or null. */
  public static BackendProvider provider(String name) {
    for (BackendProvider p : providers()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    return null;
  }

  public static Ops open(String spec) {
    return open(spec, System::getenv);
  }

  static Ops open(String spec, UnaryOperator<String> env) {
    Resolved r = resolve(spec, env);
    List<BackendProvider> providers = providers();
    if (r.value().equals("auto")) {
      return auto(providers);
    }
    String word = r.value().split(":", 2)[0];
    for (BackendProvider p : providers) {
      if (p.name().equals(word)) {
        Ops ops;
        try {
          ops = p.open(r.value());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(r.described() + ": " + e.getMessage(), e);
        }
        LOG.info("Using {} ({})", ops.name(), r.askedFor());
        return ops;
      }
    }
    throw new IllegalArgumentException(
        r.described() + ": unknown; available: " + String.join(", ", available(providers)));
  }

  /** A provider's devices, with the provider, or why it has none. */
  private record Listed(BackendProvider provider, DeviceEntry device) {}

  private static Ops auto(List<BackendProvider> providers) {
    List<Listed> candidates = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (BackendProvider p : providers) {
      try {
        for (DeviceEntry d : p.devices()) {
          candidates.add(new Listed(p, d));
        }
      } catch (BackendUnavailableException e) {
        missing.add(e.getMessage());
      } catch (RuntimeException e) {
        // The runtime is there but failed (a driver error): say so, then try the other providers.
        LOG.warn("auto: listing the {} devices failed: {}", p.name(), e.getMessage());
        missing.add(p.name() + " failed: " + e.getMessage());
      }
    }
    candidates.sort(Comparator.comparingInt((Listed l) -> l.device().autoRank()).reversed());
    Map<String, Ops> measured = new java.util.HashMap<>();
    calibrate(candidates, measured);
    for (Listed c : candidates) {
      DeviceEntry d = c.device();
      if (d.autoRank() <= DeviceEntry.RANK_NEVER) {
        continue;
      }
      try {
        Ops kept = measured.remove(d.spec());
        measured.values().forEach(Ops::close); // the measured backends that lost
        measured.clear();
        Ops ops = kept != null ? kept : c.provider().open(d.spec());
        String why = missing.isEmpty() ? d.autoReason() : d.autoReason() + "; " + missing;
        LOG.info("auto: using {} {} ({}) because {}", d.spec(), d.name(), d.type(), why);
        return ops;
      } catch (RuntimeException e) {
        LOG.warn("auto: {} could not be opened ({}); trying the next", d.spec(), e.getMessage());
        missing.add(d.spec() + " could not be opened: " + e.getMessage());
      }
    }
    throw new IllegalStateException("auto: no backend could be opened: " + missing);
  }

  /**
   * Without a GPU, the best OpenCL device and the plain-Java backend are ranked by a measured
   * figure ({@link AutoCalibration}, cached per machine and build), the faster first.
   */
  private static void calibrate(List<Listed> candidates, Map<String, Ops> measured) {
    if (candidates.isEmpty() || candidates.get(0).device().type().equals("GPU")) {
      return;
    }
    Listed device = null;
    Listed plain = null;
    for (Listed c : candidates) {
      int rank = c.device().autoRank();
      if (plain == null && rank == DeviceEntry.RANK_PLAIN_JAVA) {
        plain = c;
      } else if (device == null && rank > DeviceEntry.RANK_PLAIN_JAVA) {
        device = c;
      }
    }
    if (device == null || plain == null) {
      return;
    }
    Path file = CacheDirectory.resolve().resolve("auto.json");
    List<Listed> pair = List.of(device, plain);
    Map<String, Double> figures =
        AutoCalibration.figures(
            List.of(device.device(), plain.device()),
            file,
            d ->
                pair.stream()
                    .filter(l -> l.device() == d)
                    .findFirst()
                    .orElseThrow()
                    .provider()
                    .open(d.spec()),
            measured);
    double a = figures.getOrDefault(device.device().spec(), 0.0);
    double b = figures.getOrDefault(plain.device().spec(), 0.0);
    Listed winner = a >= b ? device : plain;
    Listed loser = winner == device ? plain : device;
    String why =
        String.format(
            Locale.ROOT,
            "no GPU was found and it measured %.1f GFLOP/s on LeNet's passes against %.1f for %s"
                + " (measured once per machine and build, kept in %s)",
            Math.max(a, b),
            Math.min(a, b),
            loser.device().spec(),
            file);
    candidates.remove(winner);
    candidates.add(
        0, new Listed(winner.provider(), winner.device().ranked(DeviceEntry.RANK_GPU - 1, why)));
  }

  /** What {@link #open} accepts on this machine, for error messages. */
  private static List<String> available(List<BackendProvider> providers) {
    List<String> specs = new ArrayList<>(List.of("auto"));
    for (BackendProvider p : providers) {
      try {
        List<DeviceEntry> devices = p.devices();
        if (devices.size() != 1 || !devices.get(0).spec().equals(p.name())) {
          specs.add(p.name());
        }
        for (DeviceEntry d : devices) {
          specs.add(
              d.spec().equals(p.name())
                  ? d.spec()
                  : d.spec() + " (" + d.name() + ", " + d.type() + ")");
        }
      } catch (BackendUnavailableException e) {
        specs.add("(no " + p.name() + ": " + e.getMessage() + ")");
      }
    }
    return specs;
  }
}
