package org.convcl.nn;

import java.util.List;
import org.convcl.tensor.Shape;

/** Per-layer output shape, parameter count and forward FLOPs (per image) of a model. */
public record ModelSummary(String spec, Shape input, List<Row> rows) {

  public record Row(String layer, Shape output, long params, long flops) {}

  public long totalParams() {
    return rows.stream().mapToLong(Row::params).sum();
  }

  public long totalFlops() {
    return rows.stream().mapToLong(Row::flops).sum();
  }

  /** A fixed-width table, one line per layer and a total line. */
  public String format() {
    StringBuilder b = new StringBuilder();
    b.append("model: ").append(spec).append('\n');
    b.append(
        String.format("%-4s %-20s %-14s %12s %16s%n", "#", "layer", "output", "params", "FLOPs"));
    b.append(String.format("%-4s %-20s %-14s %12s %16s%n", "", "input", input, "", ""));
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      b.append(
          String.format(
              "%-4d %-20s %-14s %,12d %,16d%n", i, r.layer(), r.output(), r.params(), r.flops()));
    }
    b.append(
        String.format(
            "%-4s %-20s %-14s %,12d %,16d%n", "", "total", "", totalParams(), totalFlops()));
    return b.toString();
  }
}
