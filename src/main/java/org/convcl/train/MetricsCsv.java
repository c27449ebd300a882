package org.convcl.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.convcl.data.DataFileException;

/** {@code metrics.csv}: one row per epoch; a resumed run appends to it. */
public final class MetricsCsv {
  public static final String NAME = "metrics.csv";

  private MetricsCsv() {}

  public static void append(Path runDir, EpochMetrics m) throws IOException {
    Path f = runDir.resolve(NAME);
    Files.createDirectories(runDir);
    String line = m.csv() + System.lineSeparator();
    if (!Files.exists(f)) {
      line = EpochMetrics.CSV_HEADER + System.lineSeparator() + line;
    }
    Files.writeString(
        f, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("epoch")) {
        continue;
      }
      try {
        out.add(row(line));
      } catch (IllegalArgumentException e) {
        throw new DataFileException(
            f,
            "line "
                + (i + 1)
                + ": "
                + e.getMessage()
                + " (expected "
                + EpochMetrics.CSV_HEADER
                + ")",
            e);
      }
    }
    return out;
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
