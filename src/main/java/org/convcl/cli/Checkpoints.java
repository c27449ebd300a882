package org.convcl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.convcl.train.CheckpointException;
import org.convcl.train.TrainConfig;

/**
 * Finds the checkpoint a user meant: a file, a run directory, or the newest run ({@code latest}).
 */
final class Checkpoints {
  static final Path RUNS = Path.of("runs");

  private Checkpoints() {}

  static Path resolve(String where) throws IOException {
    if (where == null || where.equals("latest")) {
      return latest();
    }
    Path p = Path.of(where);
    if (!Files.isDirectory(p)) {
      return p;
    }
    Path file = p.resolve(TrainConfig.CHECKPOINT_NAME);
    if (!Files.exists(file)) {
      throw new CheckpointException(
          p,
          "holds no "
              + TrainConfig.CHECKPOINT_NAME
              + ": no epoch of a run there has completed (a new run may start there with"
              + " --run-dir)");
    }
    return file;
  }

  private static Path latest() throws IOException {
    if (!Files.isDirectory(RUNS)) {
      throw new CheckpointException(RUNS.toAbsolutePath(), "no runs directory to resume from");
    }
    try (Stream<Path> s = Files.list(RUNS)) {
      return s.map(d -> d.resolve(TrainConfig.CHECKPOINT_NAME))
          .filter(Files::isRegularFile)
          .max(Comparator.comparing(Checkpoints::modified))
          .orElseThrow(
              () ->
                  new CheckpointException(RUNS.toAbsolutePath(), "no run in it has a checkpoint"));
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static java.nio.file.attribute.FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
