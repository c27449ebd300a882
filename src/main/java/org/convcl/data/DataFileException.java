package org.convcl.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that is not what its format says: the message names the file and the problem. */
public final class DataFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * Names the file and its problem.
   *
   * @param file the data file
   * @param problem what is wrong with it
   */
  public DataFileException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /**
   * Names the file and its problem, with the exception that revealed it.
   *
   * @param file the data file
   * @param problem what is wrong with it
   * @param cause the underlying exception
   */
  public DataFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /**
   * The file at fault.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }
}
