package org.convcl.cl;

import org.convcl.ops.BackendUnavailableException;

/**
 * No OpenCL library or platform could be found. The message says what is missing and what to
 * install; {@code auto} device selection catches it and falls back to the CPU backend.
 */
public final class OpenClUnavailableException extends BackendUnavailableException {
  private static final long serialVersionUID = 1L;

  /** The install hint every message ends with. */
  public static final String INSTALL_HINT =
      "Install an OpenCL driver and the ICD loader, on Debian/Ubuntu: apt-get install"
          + " pocl-opencl-icd ocl-icd-opencl-dev (a CPU OpenCL device). JOCL loads libOpenCL.so,"
          + " which ocl-icd-libopencl1 alone does not provide.";

  public OpenClUnavailableException(String reason, Throwable cause) {
    super("OpenCL is not available: " + reason + ". " + INSTALL_HINT, cause);
  }
}
