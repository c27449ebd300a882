package org.convcl.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

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
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("epoch")) {
        continue;
      }
      String[] p = line.split(",");
      out.add(
          new EpochMetrics(
              Integer.parseInt(p[0]),
              Double.parseDouble(p[1]),
              Double.parseDouble(p[2]),
              Double.parseDouble(p[3]),
              Double.parseDouble(p[4]),
              Double.parseDouble(p[5]),
              Double.parseDouble(p[6]),
              Double.parseDouble(p[7])));
    }
    return out;
  }
}
