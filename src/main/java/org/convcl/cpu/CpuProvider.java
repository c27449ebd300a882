package org.convcl.cpu;

import java.util.List;
import org.convcl.ops.BackendProvider;
import org.convcl.ops.DeviceEntry;
import org.convcl.ops.Ops;

/** The {@code cpu} provider: the plain-Java backend, with every available processor. */
public final class CpuProvider implements BackendProvider {
  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public String summary() {
    return "the plain-Java backend";
  }

  @Override
  public List<DeviceEntry> devices() {
    int threads = Runtime.getRuntime().availableProcessors();
    String details;
    try (CpuOps ops = new CpuOps(threads)) {
      // "cpu  plain Java, 2 threads, SIMD 16 floats (...), GEMM tile ..., blocks ...": one per
      // line.
      details = "  " + String.join("\n  ", ops.describe().substring("cpu  ".length()).split(", "));
    }
    return List.of(
        new DeviceEntry(
            "cpu",
            "plain Java, " + threads + " threads",
            "CPU",
            DeviceEntry.RANK_PLAIN_JAVA,
            "no GPU or other OpenCL device is available",
            details));
  }

  @Override
  public Ops open(String spec) {
    if (!spec.equals("cpu")) {
      throw new IllegalArgumentException("the cpu backend takes no options; use cpu");
    }
    return new CpuOps();
  }
}
