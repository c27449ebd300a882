package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the kernel headers and docs/kernels.md true (no device needed): every {@code __kernel} is
 * listed in its file's header and in the docs, and every kernel the host launches exists.
 */
class KernelDocsTest {
  private static final Pattern KERNEL = Pattern.compile("__kernel\\s+void\\s+(\\w+)");
  private static final Pattern LAUNCHED = Pattern.compile("\"([a-z0-9_]+_v\\d+)\"");

  @Test
  void everyKernelIsInItsHeaderAndInTheDocs() throws IOException {
    String docs = Files.readString(Path.of("docs/kernels.md"));
    for (Path file : clFiles()) {
      String text = Files.readString(file);
      String header = text.substring(0, text.indexOf("\n\n"));
      Matcher m = KERNEL.matcher(text);
      while (m.find()) {
        String name = m.group(1);
        assertTrue(name.matches("[a-z0-9_]+_v\\d+"), name + " breaks <op>_<pass>[_<what>]_v<N>");
        assertTrue(header.contains(name), name + " missing from the header of " + file);
        assertTrue(docs.contains("`" + name + "`"), name + " missing from docs/kernels.md");
      }
    }
  }

  @Test
  void everyLaunchedKernelExists() throws IOException {
    List<String> all = new ArrayList<>();
    for (Path file : clFiles()) {
      Matcher m = KERNEL.matcher(Files.readString(file));
      while (m.find()) {
        all.add(m.group(1));
      }
    }
    try (Stream<Path> java = Files.walk(Path.of("src/main/java/org/convcl/cl"))) {
      for (Path p : java.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = LAUNCHED.matcher(Files.readString(p));
        while (m.find()) {
          assertTrue(all.contains(m.group(1)), p + " launches unknown kernel " + m.group(1));
        }
      }
    }
  }

  private static List<Path> clFiles() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("opencl"))) {
      return s.filter(p -> p.toString().endsWith(".cl")).sorted().toList();
    }
  }
}
