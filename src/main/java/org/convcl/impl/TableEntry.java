package org.convcl.impl;

/**
 * One row of a choice table: for {@code pass} on shapes matching {@code shape} ({@link ShapeKey},
 * or {@code *}) on devices matching the non-null fields of the key, run {@code implementation} with
 * {@code settings}.
 *
 * @param vendor null: any vendor
 * @param architecture null: any architecture
 * @param device null: any device; when set, {@code driver} must match too
 * @param deviceType null: any type of device; when set (e.g. {@code CPU}), only devices of that
 *     type match, at every level: a class of devices whatever their vendor (PoCL, Intel's CPU
 *     runtime)
 * @param sourceHash the implementation's {@link Implementation#sourceHash} when the entry was
 *     written; an entry whose hash no longer matches is stale and ignored. Empty: not tied to a
 *     source (shipped defaults).
 * @param gflops what the tuner measured (0 when not measured), for reports only
 */
public record TableEntry(
    String pass,
    String shape,
    String vendor,
    String architecture,
    String device,
    String driver,
    String deviceType,
    String implementation,
    String settings,
    String sourceHash,
    double gflops) {

  /**
   * How specific the device match is: the exact device and driver, then the architecture, then the
   * vendor, then any device; at each of those an entry that also names the device type ranks above
   * one that does not (so a type alone ranks between the vendor and the default). Larger is more
   * specific; -1 when it does not match {@code key} at all.
   */
  int level(DeviceKey key) {
    if (deviceType != null && !deviceType.equals(key.type())) {
      return -1;
    }
    int typed = deviceType != null ? 1 : 0;
    if (device != null) {
      return device.equals(key.device()) && (driver == null || driver.equals(key.driver()))
          ? 6 + typed
          : -1;
    }
    if (architecture != null) {
      return architecture.equals(key.architecture()) && vendorMatches(key) ? 4 + typed : -1;
    }
    if (vendor != null) {
      return vendorMatches(key) ? 2 + typed : -1;
    }
    return typed;
  }

  private boolean vendorMatches(DeviceKey key) {
    return vendor == null || vendor.equals(key.vendor());
  }

  /** The entry for the exact device of {@code key}, as the tuner writes it. */
  public static TableEntry forDevice(
      DeviceKey key, Pass pass, String shape, Choice choice, String sourceHash, double gflops) {
    return new TableEntry(
        pass.label(),
        shape,
        key.vendor(),
        key.architecture(),
        key.device(),
        key.driver(),
        key.type(),
        choice.implementation(),
        choice.settings().toString(),
        sourceHash,
        gflops);
  }

  /** True when both entries are for the same pass, shape and device match. */
  boolean sameSlot(TableEntry o) {
    return pass.equals(o.pass)
        && shape.equals(o.shape)
        && java.util.Objects.equals(vendor, o.vendor)
        && java.util.Objects.equals(architecture, o.architecture)
        && java.util.Objects.equals(device, o.device)
        && java.util.Objects.equals(driver, o.driver)
        && java.util.Objects.equals(deviceType, o.deviceType);
  }
}
