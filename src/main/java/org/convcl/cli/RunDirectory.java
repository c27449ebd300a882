package org.convcl.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.convcl.train.MetricsCsv;
import org.convcl.train.TrainConfig;

/**
 * The directory one {@code convcl train} writes to, made safe before any training starts: it is
 * locked for the whole run ({@link RunLock}; a second run is refused at once, naming the holder),
 * checked to be a writable directory whose outputs are plain files, and refused when it already
 * holds a run unless that run is being resumed or {@code --overwrite} was given. Every refusal is a
 * usage error naming {@code --run-dir} and the path.
 */
final class RunDirectory implements AutoCloseable {
  /** What the run does with what the directory holds. */
  enum Intent {
    /** A new run: the directory must not hold one. */
    FRESH,
    /** A new run that deletes the run the directory holds. */
    OVERWRITE,
    /** Continues the run the directory holds. */
    RESUME
  }

  /** The files a run writes; one of the first two present means the directory holds a run. */
  static final List<String> OUTPUTS =
      List.of(TrainConfig.CHECKPOINT_NAME, MetricsCsv.NAME, ChartWriter.NAME);

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path path;
  private final RunLock lock;
  private final boolean created;

  private RunDirectory(Path path, RunLock lock, boolean created) {
    this.path = path;
    this.lock = lock;
    this.created = created;
  }

  Path path() {
    return path;
  }

  /**
   * Creates a new directory {@code runs/<yyyyMMdd-HHmmss>} for {@code now}, or with {@code -2},
   * {@code -3}, ... appended when that name is taken: created atomically, so two runs started in
   * the same second get two directories.
   */
  static Path createDefault(Path runs, LocalDateTime now) throws IOException {
    Files.createDirectories(runs);
    String stamp = now.format(STAMP);
    for (int n = 1; n < 10_000; n++) {
      Path p = runs.resolve(n == 1 ? stamp : stamp + "-" + n);
      try {
        return Files.createDirectory(p);
      } catch (FileAlreadyExistsException e) {
        // taken: try the next suffix
      }
    }
    throw new IOException("no free run directory name for " + stamp + " in " + runs);
  }

  /** A new default run directory under {@code runs} ({@link #createDefault}), locked. */
  static RunDirectory openNew(Path runs, LocalDateTime now) throws IOException {
    return open(createDefault(runs, now), Intent.FRESH, true);
  }

  /** Checks, locks and (for {@link Intent#OVERWRITE}) empties {@code dir}. */
  static RunDirectory open(Path dir, Intent intent) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw refused(dir, "is a file, not a directory");
    }
    boolean existed = Files.exists(dir);
    try {
      Files.createDirectories(dir);
    } catch (FileSystemException e) {
      throw refused(dir, "cannot be created (" + reason(e) + ")");
    }
    return open(dir, intent, !existed);
  }

  private static RunDirectory open(Path dir, Intent intent, boolean created) throws IOException {
    RunLock lock = lock(dir);
    try {
      requireWritable(dir);
      List<String> held = heldOutputs(dir);
      if (intent == Intent.FRESH && !held.isEmpty()) {
        throw refused(
            dir,
            "already holds a run ("
                + String.join(", ", held)
                + "); continue it with --resume "
                + dir
                + ", or replace it with --overwrite");
      }
      if (intent == Intent.OVERWRITE) {
        for (String name : OUTPUTS) {
          Files.deleteIfExists(dir.resolve(name));
        }
      }
      return new RunDirectory(dir, lock, created);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static RunLock lock(Path dir) throws IOException {
    RunLock lock;
    try {
      lock = RunLock.tryAcquire(dir);
    } catch (AccessDeniedException e) {
      throw refused(dir, "is not writable (" + reason(e) + ")");
    } catch (FileSystemException e) {
      // A directory that takes no new file (read-only, immutable: EPERM rather than EACCES) is
      // unwritable, whatever the lock file's error said; only a writable one "cannot be locked".
      requireWritable(dir);
      throw refused(dir, "cannot be locked (" + reason(e) + ")");
    }
    if (lock == null) {
      throw refused(dir, "is in use by " + RunLock.holder(dir) + "; use another --run-dir");
    }
    return lock;
  }

  /** Each output must be a plain file or absent, and the directory must take a new file. */
  private static void requireWritable(Path dir) throws IOException {
    for (String name : OUTPUTS) {
      Path p = dir.resolve(name);
      if (Files.exists(p) && !Files.isRegularFile(p)) {
        throw refused(
            p,
            "is "
                + (Files.isDirectory(p) ? "a directory" : "not a plain file")
                + ", where the run writes its "
                + name);
      }
    }
    // Named like an atomic write's temporary file, so one left by a crash is removed next time.
    Path probe;
    try {
      probe = Files.createTempFile(dir, TrainConfig.CHECKPOINT_NAME + ".", ".tmp");
    } catch (FileSystemException e) {
      throw refused(dir, "is not writable (" + reason(e) + ")");
    }
    Files.delete(probe);
  }

  private static List<String> heldOutputs(Path dir) {
    List<String> held = new ArrayList<>();
    for (String name : List.of(TrainConfig.CHECKPOINT_NAME, MetricsCsv.NAME)) {
      if (Files.exists(dir.resolve(name))) {
        held.add(name);
      }
    }
    return held;
  }

  private static String reason(FileSystemException e) {
    if (e.getReason() != null) {
      return e.getReason();
    }
    return e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
  }

  private static UsageException refused(Path p, String why) {
    return new UsageException("--run-dir: " + p + " " + why);
  }

  /**
   * Unlocks the directory. One this run created and left without any output (it failed before its
   * first epoch) is removed again, so failed runs leave no empty directories behind.
   */
  @Override
  public void close() throws IOException {
    lock.close();
    if (created && OUTPUTS.stream().noneMatch(n -> Files.exists(path.resolve(n)))) {
      try {
        Files.deleteIfExists(path.resolve(RunLock.NAME));
        Files.deleteIfExists(path);
      } catch (java.nio.file.DirectoryNotEmptyException e) {
        // something else was put there meanwhile: leave it
      }
    }
  }
}
