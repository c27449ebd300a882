package org.convcl.data;

/** A {@code --data} argument that names no known source; the CLI reports it as a usage error. */
public final class DataSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  DataSpecException(String message) {
    super(message);
  }
}
