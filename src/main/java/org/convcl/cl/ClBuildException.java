package org.convcl.cl;

/** A kernel program did not compile; carries the file, the build options and the full build log. */
public final class ClBuildException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String options;
  private final String buildLog;

  public ClBuildException(String file, String options, String device, String buildLog) {
    super(
        "OpenCL build of "
            + file
            + " failed on "
            + device
            + " with options ["
            + options
            + "]; build log:\n"
            + buildLog);
    this.file = file;
    this.options = options;
    this.buildLog = buildLog;
  }

  public String file() {
    return file;
  }

  public String options() {
    return options;
  }

  public String buildLog() {
    return buildLog;
  }
}
