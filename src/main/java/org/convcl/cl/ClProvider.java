package org.convcl.cl;

import java.util.ArrayList;
import java.util.List;
import org.convcl.ops.BackendProvider;
import org.convcl.ops.DeviceEntry;
import org.convcl.ops.Ops;

/**
 * The {@code opencl} provider: {@code opencl} opens the first GPU, else the first device; {@code
 * opencl:<platform>:<device>} a given one. For {@code auto} a GPU ranks first, then the other
 * devices in platform order.
 */
public final class ClProvider implements BackendProvider {
  @Override
  public String name() {
    return "opencl";
  }

  @Override
  public String summary() {
    return "OpenCL kernels through JOCL";
  }

  @Override
  public List<DeviceEntry> devices() {
    List<DeviceEntry> entries = new ArrayList<>();
    List<ClDeviceInfo> devices = ClDevices.list();
    int others = 0;
    for (ClDeviceInfo d : devices) {
      int rank;
      String why;
      if (d.isGpu()) {
        rank = DeviceEntry.RANK_GPU - entries.size();
        why = "it is a GPU";
      } else {
        rank = DeviceEntry.RANK_OTHER_DEVICE - others++;
        why = "no GPU was found and it is the first OpenCL device";
      }
      String details = d.describe().substring(d.describe().indexOf('\n') + 1).stripIndent();
      entries.add(new DeviceEntry(d.spec(), d.name(), d.type(), rank, why, details));
    }
    return entries;
  }

  @Override
  public Ops open(String spec) {
    if (spec.equals("opencl")) {
      return ClOps.open(preferred(ClDevices.list()));
    }
    String[] parts = spec.split(":");
    if (parts.length == 3) {
      try {
        return new ClOps(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    String available;
    try {
      available = ClDevices.specs(ClDevices.handles());
    } catch (OpenClUnavailableException e) {
      available = "none (" + e.getMessage() + ")";
    }
    throw new IllegalArgumentException(
        "must be opencl:<platform>:<device> with two numbers; available: " + available);
  }

  /** The first GPU, else the first device. */
  static ClDeviceInfo preferred(List<ClDeviceInfo> devices) {
    for (ClDeviceInfo d : devices) {
      if (d.isGpu()) {
        return d;
      }
    }
    return devices.get(0);
  }
}
