package org.convcl.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.convcl.cl.ClDeviceInfo;
import org.convcl.cl.ClDevices;
import org.convcl.cl.OpenClUnavailableException;
import org.convcl.cpu.CpuOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code convcl devices}: the OpenCL platforms and devices, each with the {@code opencl:P:D} spec
 * that selects it.
 */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = "List the CPU backend and the OpenCL devices with the --device spec of each.")
final class DevicesCommand implements Callable<Integer> {
  private final Io io;

  @Mixin CommonOptions common;

  DevicesCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.applyLogLevel();
    try (CpuOps cpu = new CpuOps()) {
      io.out().println(cpu.describe());
    }
    List<ClDeviceInfo> devices;
    try {
      devices = ClDevices.list();
    } catch (OpenClUnavailableException e) {
      io.err()
          .println(
              "convcl devices: no OpenCL device ("
                  + e.getMessage()
                  + "); --device auto uses the CPU");
      return 1;
    }
    for (ClDeviceInfo d : devices) {
      io.out().println(d.describe());
    }
    return 0;
  }
}
