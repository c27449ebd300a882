package org.convcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java example in README.md is compiled and run as it is printed, the way a library user would:
 * against a jar of the library's classes and resources alone (plus its three non-optional
 * dependencies, JOCL, SLF4J and Gson), in a fresh JVM whose working directory is an empty temporary
 * folder, so it cannot lean on the project's {@code data/} folder or on the CLI's libraries.
 */
class ReadmeExampleTest {

  @Test
  void readmeJavaExampleRunsFromAnEmptyFolderAgainstTheJar(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertTrue(block.find(), "README.md has no ```java block");
    String code = block.group(1);
    Matcher cls = Pattern.compile("public class (\\w+)").matcher(code);
    assertTrue(cls.find(), "the README example must declare a public class");
    String name = cls.group(1);
    Path src = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path work = Files.createDirectories(dir.resolve("work"));
    Path source = src.resolve(name + ".java");
    Files.writeString(source, code, StandardCharsets.UTF_8);
    String classpath = libraryClasspath(jar(Path.of("target/classes"), dir.resolve("convcl.jar")));

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests need a JDK, not a JRE");
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            diagnostics,
            diagnostics,
            "-Xlint:all",
            "-Werror",
            "-cp",
            classpath,
            "-d",
            classes.toString(),
            source.toString());
    assertEquals(0, rc, "README example does not compile against the jar:\n" + diagnostics);

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Djava.awt.headless=true",
                "-cp",
                classes + File.pathSeparator + classpath,
                name)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the example did not finish");
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "the example failed:\n" + printed);
    assertTrue(printed.contains("test accuracy"), "it reports its accuracy:\n" + printed);
    assertTrue(printed.contains("reloaded, it reads"), "it loads its checkpoint:\n" + printed);
    assertTrue(Files.isRegularFile(work.resolve("lenet.ccl")), "it saved into its working dir");
  }

  /**
   * The jar of {@code classes} (what {@code mvn package} puts in the library jar) and the library's
   * runtime dependencies taken from this test's classpath; nothing else, so that a missing resource
   * or an accidental dependency on a CLI library fails here.
   */
  private static String libraryClasspath(Path jar) {
    List<String> cp = new ArrayList<>(List.of(jar.toString()));
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String file = Path.of(e).getFileName().toString();
      if (file.startsWith("jocl-") || file.startsWith("slf4j-api-") || file.startsWith("gson-")) {
        cp.add(e);
      }
    }
    assertEquals(4, cp.size(), "expected the jar, JOCL, SLF4J and Gson: " + cp);
    return String.join(File.pathSeparator, cp);
  }

  private static Path jar(Path classes, Path jar) throws IOException {
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(os, mf);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(
            new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, j);
        j.closeEntry();
      }
    }
    return jar;
  }
}
