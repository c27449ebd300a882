package org.convcl.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SPI and the implementation registry name no backend: backends are found through {@link
 * BackendProvider} registrations, so a new backend is a package plus a registration.
 */
class LayeringTest {
  private static final List<String> BACKENDS = List.of("cl", "cpu", "ref");

  @Test
  void theSpiAndTheRegistryImportNoBackend() throws IOException {
    List<String> offending = new ArrayList<>();
    for (String pkg : List.of("ops", "impl", "tune", "tensor")) {
      Path dir = Path.of("src/main/java/org/convcl", pkg);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          for (String line : Files.readAllLines(f)) {
            String code = line.trim();
            if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
              continue; // comments may point to a backend's example
            }
            for (String b : BACKENDS) {
              if (code.contains("org.convcl." + b + ".")) {
                offending.add(f + ": " + line.trim());
              }
            }
          }
        }
      }
    }
    assertEquals(List.of(), offending);
  }

  @Test
  void everyProviderIsRegisteredOnceUnderItsOwnName() {
    List<String> names = Backends.providers().stream().map(BackendProvider::name).toList();
    assertEquals(names.stream().distinct().toList(), names);
    for (String expected : List.of("cpu", "opencl", "ref")) {
      assertEquals(true, names.contains(expected), names.toString());
    }
  }
}
