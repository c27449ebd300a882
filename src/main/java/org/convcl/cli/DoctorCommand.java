package org.convcl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convcl.doctor.CheckResult;
import org.convcl.doctor.SelfTest;
import org.convcl.ops.BackendProvider;
import org.convcl.ops.BackendUnavailableException;
import org.convcl.ops.Backends;
import org.convcl.ops.DeviceEntry;
import org.convcl.ops.Ops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code convcl doctor}: on every device (or the one {@code --device} names), builds every
 * registered kernel and runs every op on a small case against the reference backend, printing each
 * check's verdict and time, then one line per device and one overall verdict. Exit 0 when every
 * check passed on every device that could be opened, 1 otherwise.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check every device: build every kernel and run every op on small cases against the"
          + " reference backend. Run it first after installing a new GPU driver."
    })
final class DoctorCommand implements Callable<Integer> {
  private final Io io;

  @Mixin CommonOptions common;

  @Option(names = "--failures-only", description = "print only the checks that failed")
  boolean failuresOnly;

  DoctorCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.applyLogLevel();
    List<String> verdicts = new ArrayList<>();
    boolean allPassed = true;
    try (Ops reference = Backends.provider("ref").open("ref")) {
      for (String spec : specs()) {
        allPassed &= check(spec, reference, verdicts);
      }
    }
    verdicts.forEach(io.out()::println);
    io.out()
        .println(
            allPassed
                ? "doctor: every check passed on every device"
                : "doctor: some checks FAILED (see above); report them with the output of convcl"
                    + " devices");
    return allPassed ? 0 : 1;
  }

  /** The device {@code --device} names, else every device of every provider but the reference. */
  private List<String> specs() {
    if (common.device != null) {
      return List.of(common.device);
    }
    List<String> specs = new ArrayList<>();
    for (BackendProvider p : Backends.providers()) {
      if (p.name().equals("ref")) {
        continue;
      }
      try {
        for (DeviceEntry d : p.devices()) {
          specs.add(d.spec());
        }
      } catch (BackendUnavailableException e) {
        io.out().println(p.name() + ": not checked: " + e.getMessage());
      }
    }
    return specs;
  }

  private boolean check(String spec, Ops reference, List<String> verdicts) {
    Ops ops;
    try {
      common.device = spec;
      ops = common.openDevice();
    } catch (RuntimeException e) {
      verdicts.add(spec + ": FAILED to open: " + e.getMessage());
      return false;
    }
    try (ops) {
      io.out().println("== " + ops.name());
      List<CheckResult> results =
          new SelfTest(ops, reference)
              .run(
                  r -> {
                    if (!failuresOnly || !r.passed()) {
                      io.out().println(line(r));
                    }
                  });
      long failed = results.stream().filter(r -> !r.passed()).count();
      double ms = results.stream().mapToDouble(CheckResult::millis).sum();
      verdicts.add(
          String.format(
              Locale.ROOT,
              "%s: %s (%d checks, %.1f s)",
              ops.name(),
              failed == 0 ? "all passed" : failed + " FAILED",
              results.size(),
              ms / 1000));
      return failed == 0;
    }
  }

  static String line(CheckResult r) {
    return String.format(
        Locale.ROOT,
        "%-4s %9.2f ms  %s%s",
        r.passed() ? "ok" : "FAIL",
        r.millis(),
        r.name(),
        r.passed() ? "" : "\n       " + r.problem());
  }
}
