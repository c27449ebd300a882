package org.convcl.cl;

/**
 * A device buffer was refused before asking the driver: it is larger than the device's maximum
 * allocation, or the device's global memory is used up.
 */
public final class ClAllocationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClAllocationException(String message) {
    super(message);
  }
}
