package org.convcl.cli;

import java.util.Locale;
import org.convcl.train.EvalReport;

/**
 * The text tables {@code convcl eval} prints: per-class precision/recall and the confusion matrix.
 */
final class EvalTables {
  private EvalTables() {}

  /** One row per class: precision, recall, images; "-" where a ratio has no images behind it. */
  static String perClass(EvalReport e) {
    int w = nameWidth(e);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-" + w + "s  precision  recall  images%n", "class"));
    for (int c = 0; c < e.classNames().size(); c++) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-" + w + "s  %9s  %6s  %6d%n",
              e.classNames().get(c),
              percent(e.precision(c)),
              percent(e.recall(c)),
              e.support(c)));
    }
    return b.toString();
  }

  /** The matrix with a header row of predicted classes; rows are the true classes. */
  static String confusion(EvalReport e) {
    int k = e.classNames().size();
    int w = nameWidth(e);
    int cell = 1;
    for (long[] row : e.confusion()) {
      for (long v : row) {
        cell = Math.max(cell, Long.toString(v).length());
      }
    }
    for (String n : e.classNames()) {
      cell = Math.max(cell, n.length());
    }
    StringBuilder b =
        new StringBuilder("confusion matrix (rows: true class, columns: predicted)\n");
    b.append(" ".repeat(w));
    for (String n : e.classNames()) {
      b.append(' ').append(pad(n, cell));
    }
    b.append('\n');
    for (int a = 0; a < k; a++) {
      b.append(String.format(Locale.ROOT, "%-" + w + "s", e.classNames().get(a)));
      for (int p = 0; p < k; p++) {
        b.append(' ').append(pad(Long.toString(e.count(a, p)), cell));
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static int nameWidth(EvalReport e) {
    int w = "class".length();
    for (String n : e.classNames()) {
      w = Math.max(w, n.length());
    }
    return w;
  }

  private static String pad(String s, int width) {
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }

  private static String percent(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }
}
