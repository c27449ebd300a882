package org.convcl.train;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be used: the message names the file and what is wrong with it. */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public CheckpointException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
