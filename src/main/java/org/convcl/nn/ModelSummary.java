package org.convcl.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.convcl.tensor.Shape;

/** Per-layer output shape, parameter count and forward FLOPs (per image) of a model. */
public record ModelSummary(String spec, Shape input, List<Row> rows) {

  public record Row(String layer, Shape output, long params, long flops) {}

  /**
   * The summary of {@code layers} (built or not) applied to {@code inputItem}, from shapes only:
   * nothing is allocated, so a model too large to build can still be summarised. A layer that does
   * not fit its input throws {@link LayerBuildException}, as building it would.
   */
  public static ModelSummary of(Shape inputItem, List<Layer> layers) {
    List<Row> rows = new ArrayList<>();
    Shape in = inputItem;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      Shape item = in;
      Row row =
          LayerBuildException.at(
              i, l, () -> new Row(l.spec(), l.outputItem(item), l.paramCount(item), l.flops(item)));
      rows.add(row);
      in = row.output();
    }
    String spec = layers.stream().map(Layer::spec).collect(Collectors.joining("-"));
    return new ModelSummary(spec, inputItem, rows);
  }

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
