package org.convcl.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Replaces a file's contents all at once: the bytes go to a temporary file {@code
 * <name>.<random>.tmp} in the same folder that is written, fsynced and atomically renamed over the
 * target, so a crash leaves either the old or the new file, never a mix. A crash can leave the
 * temporary file; {@link #removeOrphans} deletes those of given names on the next start.
 */
final class AtomicFile {
  static final String TEMP_SUFFIX = ".tmp";

  /** Writes through the real file system. */
  static final AtomicFile SYSTEM = new AtomicFile(FileSteps.SYSTEM);

  private final FileSteps steps;

  AtomicFile(FileSteps steps) {
    this.steps = steps;
  }

  static void write(Path file, byte[] body) throws IOException {
    SYSTEM.replace(file, body);
  }

  /** Replaces {@code file} with {@code body}: temporary file, write, fsync, rename, fsync dir. */
  void replace(Path file, byte[] body) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = steps.createTemp(dir, file.getFileName() + ".");
    try {
      steps.write(tmp, body);
      steps.fsync(tmp);
      steps.rename(tmp, file);
    } finally {
      steps.delete(tmp);
    }
    steps.fsyncDirectory(dir);
  }

  /**
   * Deletes the temporary files a crashed {@link #replace} of any of {@code names} left in {@code
   * dir} ({@code <name>.<anything>.tmp}); returns how many. Nothing else is touched.
   */
  static int removeOrphans(Path dir, Set<String> names) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> isOrphan(p.getFileName().toString(), names)).toList()) {
        if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
          removed++;
        }
      }
    }
    return removed;
  }

  static boolean isOrphan(String fileName, Set<String> names) {
    if (!fileName.endsWith(TEMP_SUFFIX)) {
      return false;
    }
    for (String n : names) {
      if (fileName.startsWith(n + ".")
          && fileName.length() > n.length() + 1 + TEMP_SUFFIX.length()) {
        return true;
      }
    }
    return false;
  }
}
