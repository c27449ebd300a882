package org.convcl.cli;

import java.util.Locale;
import org.convcl.data.Augmentation;
import org.convcl.train.Monitor;

/** Parses the text of train's training-control options into library values. */
final class TrainingOptions {
  private TrainingOptions() {}

  /** {@code accuracy} or {@code loss}. */
  static Monitor monitor(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "accuracy" -> Monitor.ACCURACY;
      case "loss" -> Monitor.LOSS;
      default -> throw new IllegalArgumentException("must be accuracy or loss");
    };
  }

  /** {@code none}, or {@code crop:PADDING}, {@code flip} or both joined by {@code +}. */
  static Augmentation augmentation(String text) {
    int padding = 0;
    boolean flip = false;
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("none")) {
      return Augmentation.none();
    }
    for (String part : t.split("\\+")) {
      if (part.equals("flip")) {
        flip = true;
      } else if (part.startsWith("crop:")) {
        try {
          padding = Integer.parseInt(part.substring("crop:".length()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("crop takes a padding in pixels, e.g. crop:4", e);
        }
      } else {
        throw new IllegalArgumentException(
            "must be none, or crop:PADDING and/or flip, e.g. crop:4+flip");
      }
    }
    return new Augmentation(padding, flip);
  }
}
