package org.convcl.cl;

import org.jocl.CL;

/**
 * An OpenCL call failed. The message names the call, the OpenCL error (for example {@code
 * CL_OUT_OF_RESOURCES}) and what ConvCL was doing: the op and its shapes.
 */
public class ClException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public ClException(String call, int status, String context, Throwable cause) {
    super(
        call
            + " failed with "
            + CL.stringFor_errorCode(status)
            + " ("
            + status
            + ") during "
            + context,
        cause);
    this.status = status;
  }

  /** The OpenCL status code, e.g. {@code CL.CL_OUT_OF_RESOURCES}. */
  public int status() {
    return status;
  }
}
