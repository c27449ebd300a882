package org.convcl.testutil;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (an OpenCL platform, mkfifo, a way to make a directory
 * unwritable, a per-thread allocation counter). Without it the test is skipped, with the reason in
 * the report; under CI's strict mode, {@code CONVCL_REQUIRE_OPENCL=1} (set by {@code .ci/run}), it
 * fails instead, so CI never passes with such a test silently not run. The variable is named for
 * the first of these needs, the OpenCL platform, and covers them all.
 */
public final class Required {
  private Required() {}

  /** The environment variable of CI's strict mode. */
  public static final String STRICT = "CONVCL_REQUIRE_OPENCL";

  public static boolean strict() {
    return "1".equals(System.getenv(STRICT));
  }

  /** Skips (or, strict, fails) the calling test unless {@code available}; {@code what} says why. */
  public static void that(boolean available, String what) {
    if (available) {
      return;
    }
    if (strict()) {
      fail(STRICT + "=1 but " + what);
    }
    Assumptions.assumeTrue(false, what);
  }

  /**
   * Makes a named pipe at {@code fifo} with {@code mkfifo}, or skips (strict: fails) without it.
   */
  public static Path fifo(Path fifo) throws IOException, InterruptedException {
    boolean made;
    try {
      made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
    } catch (IOException e) {
      made = false; // no mkfifo on the PATH
    }
    that(made && Files.exists(fifo), "mkfifo is not available");
    return fifo;
  }
}
