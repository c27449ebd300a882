package org.convcl.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Which build of ConvCL is running: the version and build time Maven writes into {@code
 * org/convcl/build.properties}. Classes compiled outside Maven (an IDE) have the file unfiltered or
 * not at all and say {@code dev}.
 */
final class BuildInfo {
  private BuildInfo() {}

  private static final String RESOURCE = "/org/convcl/build.properties";

  /** The build, e.g. {@code 0.1.0-SNAPSHOT built 2026-12-01T15:50:02Z}, or {@code dev}. */
  static String id() {
    return Holder.ID;
  }

  private static final class Holder {
    static final String ID = read();
  }

  private static String read() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "dev";
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
    String version = p.getProperty("version", "");
    String built = p.getProperty("built", "");
    if (version.isEmpty() || version.contains("${") || built.contains("${")) {
      return "dev";
    }
    return built.isEmpty() ? version : version + " built " + built;
  }
}
