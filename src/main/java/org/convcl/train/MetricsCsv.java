package org.convcl.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.convcl.data.DataFileException;

/**
 * {@code metrics.csv}: one row per epoch. The file is always replaced whole (write, fsync, rename),
 * after the epoch's checkpoint, so it never holds a half row or a row for an epoch the checkpoint
 * lacks; a resumed run first drops the rows past its checkpoint's epoch.
 */
public final class MetricsCsv {
  public static final String NAME = "metrics.csv";

  private MetricsCsv() {}

  public static void append(Path runDir, EpochMetrics m) throws IOException {
    Path f = runDir.resolve(NAME);
    List<String> lines = new ArrayList<>();
    if (Files.exists(f)) {
      lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
    }
    if (lines.isEmpty()) {
      lines.add(EpochMetrics.CSV_HEADER);
    }
    lines.add(m.csv());
    write(f, lines);
  }

  /**
   * Keeps only the rows of epochs {@code 1..lastEpoch} (those a resumed checkpoint has done); a row
   * past it was written by a run that was stopped before its next checkpoint counted.
   */
  public static void keepEpochs(Path runDir, int lastEpoch) throws IOException {
    Path f = runDir.resolve(NAME);
    if (!Files.exists(f)) {
      return;
    }
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    List<String> kept = new ArrayList<>(List.of(EpochMetrics.CSV_HEADER));
    for (int i = 0; i < lines.size(); i++) {
      EpochMetrics m = parse(f, lines, i);
      if (m != null && m.epoch() <= lastEpoch) {
        kept.add(lines.get(i));
      }
    }
    if (!kept.equals(lines)) {
      write(f, kept);
    }
  }

  private static void write(Path f, List<String> lines) throws IOException {
    String text = String.join(System.lineSeparator(), lines) + System.lineSeparator();
    AtomicFile.write(f, text.getBytes(StandardCharsets.UTF_8));
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
