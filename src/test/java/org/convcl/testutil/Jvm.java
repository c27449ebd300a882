package org.convcl.testutil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A fresh JVM running a main class on this test run's class path, for tests of whole processes. */
public final class Jvm {
  private Jvm() {}

  /** {@code java [jvmOptions] -cp <test class path> main args...}, not yet started. */
  public static ProcessBuilder of(List<String> jvmOptions, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
