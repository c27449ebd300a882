package org.convcl.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.convcl.data.DataFileException;

/**
 * {@code metrics.csv}: one row per epoch, derived from the checkpoint, which carries every epoch's
 * metrics (see {@link EpochCommit}). The file is always replaced whole (write, fsync, rename) from
 * that history, so it never holds a half row, and a row lost to a crash comes back on the next
 * start.
 */
public final class MetricsCsv {
  public static final String NAME = "metrics.csv";

  private MetricsCsv() {}

  /** The file's text for {@code history}: the header, then one row per epoch. */
  static byte[] text(List<EpochMetrics> history) {
    List<String> lines = new ArrayList<>();
    lines.add(EpochMetrics.CSV_HEADER);
    history.forEach(m -> lines.add(m.csv()));
    return (String.join(System.lineSeparator(), lines) + System.lineSeparator())
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Replaces the file in {@code runDir} with the rows of {@code history}. */
  static void write(AtomicFile files, Path runDir, List<EpochMetrics> history) throws IOException {
    files.replace(runDir.resolve(NAME), text(history));
  }

  /**
   * The rows of epochs {@code 1..lastEpoch}: the history of a version-1 checkpoint, which did not
   * carry its metrics; a row past it was written by a run stopped before its next checkpoint.
   */
  static List<EpochMetrics> readEpochs(Path runDir, int lastEpoch) throws IOException {
    List<EpochMetrics> kept = new ArrayList<>();
    for (EpochMetrics m : read(runDir)) {
      if (m.epoch() <= lastEpoch) {
        kept.add(m);
      }
    }
    return kept;
  }

  /** Every row so far (for the chart of a resumed run); empty when there is no file. */
  public static List<EpochMetrics> read(Path runDir) throws IOException {
    Path f = runDir.resolve(NAME);
    List<EpochMetrics> out = new ArrayList<>();
    if (!Files.exists(f)) {
      return out;
    }
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      EpochMetrics m = parse(f, lines, i);
      if (m != null) {
        out.add(m);
      }
    }
    return out;
  }

  /** Line {@code i} as a row; null for the header and blank lines. */
  private static EpochMetrics parse(Path f, List<String> lines, int i) throws DataFileException {
    String line = lines.get(i);
    if (line.isBlank() || line.startsWith("epoch")) {
      return null;
    }
    try {
      return row(line);
    } catch (IllegalArgumentException e) {
      throw new DataFileException(
          f,
          "line " + (i + 1) + ": " + e.getMessage() + " (expected " + EpochMetrics.CSV_HEADER + ")",
          e);
    }
  }

  /** One row as {@link EpochMetrics#csv} writes it; a malformed row is refused. */
  static EpochMetrics parseRow(String line) {
    try {
      return row(line);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("metrics row \"" + line + "\": " + e.getMessage(), e);
    }
  }

  private static EpochMetrics row(String line) {
    String[] p = line.split(",");
    if (p.length != 8) {
      throw new IllegalArgumentException(p.length + " fields instead of 8");
    }
    return new EpochMetrics(
        Integer.parseInt(p[0]),
        Double.parseDouble(p[1]),
        Double.parseDouble(p[2]),
        Double.parseDouble(p[3]),
        Double.parseDouble(p[4]),
        Double.parseDouble(p[5]),
        Double.parseDouble(p[6]),
        Double.parseDouble(p[7]));
  }
}
