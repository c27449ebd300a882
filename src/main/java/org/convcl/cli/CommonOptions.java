package org.convcl.cli;

import ch.qos.logback.classic.Level;
import java.util.ArrayList;
import java.util.List;
import org.convcl.impl.ImplementationRegistry;
import org.convcl.impl.Overrides;
import org.convcl.ops.Backends;
import org.convcl.ops.Ops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** Options every working command takes: the device and the log level. */
final class CommonOptions {
  String device;

  @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec mixee;

  @Option(
      names = "--device",
      paramLabel = "SPEC",
      description =
          "auto, cpu, ref, opencl or opencl:P:D (platform and device index); default:"
              + " $CONVCL_DEVICE, else auto")
  void device(String spec) {
    if (spec.isBlank()) {
      throw new picocli.CommandLine.ParameterException(
          mixee.commandLine(),
          "--device is empty; give auto, cpu, ref, opencl or opencl:P:D (see convcl devices)");
    }
    device = spec;
  }

  @Option(
      names = {"-q", "--quiet"},
      description = "only warnings and errors in the log; no progress bar")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      description = "debug messages in the log")
  boolean verbose;

  @Option(
      names = "--impl",
      paramLabel = "PASS=IMPL[:SETTINGS]",
      description =
          "force an implementation for experiments, e.g. convForward=conv_forward_v2:CONV_KB=4 or"
              + " convForward@pointwise=dense_gemm_v1 (repeatable; default: $CONVCL_IMPL, else the"
              + " choice table)")
  List<String> impl = new ArrayList<>();

  /**
   * Opens the chosen device and applies {@code --impl}; a spec that names no device, or an override
   * the device cannot take, is a usage error.
   */
  Ops openDevice() {
    Ops ops = UsageException.from(() -> Backends.open(device));
    if (impl.isEmpty()) {
      return ops;
    }
    try {
      ImplementationRegistry<?> r =
          ops.implementations()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          ops.name() + " has one implementation per op; nothing to choose"));
      r.override(Overrides.parse(impl));
      return ops;
    } catch (IllegalArgumentException e) {
      ops.close();
      throw new UsageException("--impl " + String.join(" ", impl) + ": " + e.getMessage());
    }
  }

  /**
   * Sets the root log level (WARN, INFO or DEBUG) when Logback is the SLF4J binding. The Logback
   * class is touched only after its name matched, so the CLI classes also run without Logback.
   */
  void applyLogLevel() {
    Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root.getClass().getName().equals("ch.qos.logback.classic.Logger")) {
      LogbackLevel.set(root, quiet ? "WARN" : verbose ? "DEBUG" : "INFO");
    }
  }

  /** The only code that names Logback's classes. */
  private static final class LogbackLevel {
    static void set(Logger root, String level) {
      ((ch.qos.logback.classic.Logger) root).setLevel(Level.toLevel(level));
    }
  }
}
