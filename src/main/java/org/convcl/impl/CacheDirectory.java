package org.convcl.impl;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.UnaryOperator;

/**
 * Where ConvCL keeps what it learns about a machine (tuned choice tables, compiled program
 * binaries): the system property {@code convcl.cache.dir}, else {@code $CONVCL_CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/convcl}, else {@code ~/.cache/convcl}. Nothing there is needed: a deleted
 * cache only costs the time to rebuild it. Each user of the cache takes a subdirectory of it.
 */
public final class CacheDirectory {
  /** The environment variable that moves the cache. */
  public static final String ENV = "CONVCL_CACHE_DIR";

  /** The system property that moves the cache; it wins over the environment variable. */
  public static final String PROPERTY = "convcl.cache.dir";

  private CacheDirectory() {}

  /** The cache directory of this process (it may not exist yet). */
  public static Path resolve() {
    return resolve(System::getenv, System::getProperty);
  }

  /**
   * Replaces {@code file} with {@code bytes} so that a reader sees the old or the new content,
   * never half of it: written to a temporary file beside it, then renamed (atomically where the
   * file system can). Every cache file is written so (choice tables, auto's measurements, program
   * binaries); unlike a checkpoint, none is fsynced, since a lost one is only rebuilt.
   */
  public static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static Path resolve(UnaryOperator<String> env, UnaryOperator<String> properties) {
    String dir = properties.apply(PROPERTY);
    if (dir == null || dir.isBlank()) {
      dir = env.apply(ENV);
    }
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    String xdg = env.apply("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "convcl");
    }
    return Path.of(properties.apply("user.home"), ".cache", "convcl");
  }
}
