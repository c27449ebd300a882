package org.convcl.ref;

import java.util.List;
import org.convcl.ops.BackendProvider;
import org.convcl.ops.DeviceEntry;
import org.convcl.ops.Ops;

/**
 * The {@code ref} provider: the naive double-precision reference, the oracle of the tests, the
 * tuner and {@code doctor}. Slow on purpose and never chosen by {@code auto}.
 */
public final class RefProvider implements BackendProvider {
  @Override
  public String name() {
    return "ref";
  }

  @Override
  public String summary() {
    return "the double-precision reference (slow; the oracle every other backend is checked against)";
  }

  @Override
  public List<DeviceEntry> devices() {
    return List.of(
        new DeviceEntry(
            "ref",
            "naive double-precision loops",
            "CPU",
            DeviceEntry.RANK_NEVER,
            "it is the reference",
            "  one thread, no blocking; every sum in double"));
  }

  @Override
  public Ops open(String spec) {
    if (!spec.equals("ref")) {
      throw new IllegalArgumentException("the reference backend takes no options; use ref");
    }
    return new RefOps();
  }
}
