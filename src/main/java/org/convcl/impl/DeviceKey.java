package org.convcl.impl;

/**
 * What a choice table keys a device by, from most to least specific: the exact device (name and
 * driver version), its architecture, its vendor, its type (the class of device, e.g. every CPU
 * OpenCL device whatever its vendor). A table entry that names none of them is the backend's
 * default.
 *
 * @param backend the provider name, e.g. {@code opencl} or {@code cpu}
 * @param vendor e.g. {@code NVIDIA Corporation}
 * @param architecture e.g. {@code sm_90} for NVIDIA, else the device name
 * @param device the device name
 * @param driver the driver version
 * @param type the device type, e.g. {@code CPU} or {@code GPU} (OpenCL's CL_DEVICE_TYPE); null
 *     where the backend has no such classes
 */
public record DeviceKey(
    String backend, String vendor, String architecture, String device, String driver, String type) {

  /** A key without a device type. */
  public DeviceKey(
      String backend, String vendor, String architecture, String device, String driver) {
    this(backend, vendor, architecture, device, driver, null);
  }
}
