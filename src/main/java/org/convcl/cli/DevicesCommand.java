package org.convcl.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.convcl.ops.BackendProvider;
import org.convcl.ops.BackendUnavailableException;
import org.convcl.ops.Backends;
import org.convcl.ops.DeviceEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code convcl devices}: every backend provider's devices, each with the {@code --device} spec
 * that selects it; a provider whose runtime is missing says so and what to install.
 */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = "List every backend's devices and the --device spec of each.")
final class DevicesCommand implements Callable<Integer> {
  private final Io io;

  @Mixin CommonOptions common;

  DevicesCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.applyLogLevel();
    if (common.device != null) {
      // The device the spec selects, opened by the rule every command uses.
      try (org.convcl.ops.Ops ops = common.openDevice()) {
        io.out().println("--device " + common.device + " selects " + ops.name());
      }
    }
    for (BackendProvider p : Backends.providers()) {
      io.out().println(p.name() + ": " + p.summary());
      List<DeviceEntry> devices;
      try {
        devices = p.devices();
      } catch (BackendUnavailableException e) {
        io.out().println("  (none: " + e.getMessage() + ")");
        continue;
      }
      for (DeviceEntry d : devices) {
        io.out().println("  " + d.spec() + "  " + d.name() + " (" + d.type() + ")");
        io.out().println(d.details().indent(4).stripTrailing());
      }
    }
    return 0;
  }
}
