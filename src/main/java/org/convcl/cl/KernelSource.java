package org.convcl.cl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads kernel sources from the classpath ({@code /opencl/<file>}, packaged from the top-level
 * {@code opencl/} folder) and prepends {@code common.cl}. A missing file fails loudly, naming it.
 */
public final class KernelSource {
  static final String COMMON = "common.cl";

  private KernelSource() {}

  /** The text of {@code /opencl/<file>}. */
  public static String read(String file) {
    String path = "/opencl/" + file;
    try (InputStream in = KernelSource.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "OpenCL kernel source "
                + path
                + " is not on the classpath (the build packages the opencl/ folder under /opencl/)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read OpenCL kernel source " + path, e);
    }
  }

  /**
   * {@code common.cl} followed by {@code body}; {@code #line} directives keep build-log line
   * numbers true to each file.
   */
  public static String program(String file, String body) {
    return "#line 1 \"" + COMMON + "\"\n" + read(COMMON) + "\n#line 1 \"" + file + "\"\n" + body;
  }
}
