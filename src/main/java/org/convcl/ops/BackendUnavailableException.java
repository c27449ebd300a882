package org.convcl.ops;

/**
 * A backend's runtime is missing on this machine (no OpenCL library, no platform, ...). The message
 * says what is missing and how to install it.
 */
public class BackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
