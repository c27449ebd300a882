package org.convcl.impl;

/**
 * What a choice table keys a device by, from most to least specific: the exact device (name and
 * driver version), its architecture, its vendor. A table entry that names none of them is the
 * backend's default.
 *
 * @param backend the provider name, e.g. {@code opencl} or {@code cpu}
 * @param vendor e.g. {@code NVIDIA Corporation}
 * @param architecture e.g. {@code sm_90} for NVIDIA, else the device name
 * @param device the device name
 * @param driver the driver version
 */
public record DeviceKey(
    String backend, String vendor, String architecture, String device, String driver) {}
