package org.convcl.ops;

/**
 * A backend refused an allocation because its memory cannot hold it: a device buffer beyond the
 * device's maximum single allocation or its free global memory (OpenCL), or an array beyond what
 * the Java heap can still give (CPU). The message names the op or shape, the bytes asked for and
 * what is left, and ends with a hint the user can act on. Both backends throw this one type, so a
 * caller handles "out of memory" once.
 */
public class DeviceMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceMemoryException(String message) {
    super(message);
  }

  public DeviceMemoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
