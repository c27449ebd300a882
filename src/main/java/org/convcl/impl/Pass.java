package org.convcl.impl;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An op pass that may have several implementations; its label is the Ops method's name. */
public enum Pass {
  CONV_FORWARD("convForward"),
  CONV_BACKWARD_INPUT("convBackwardInput"),
  CONV_BACKWARD_FILTER("convBackwardFilter");

  private final String label;

  Pass(String label) {
    this.label = label;
  }

  /** The Ops method's name, as tables, logs and the CLI spell it. */
  public String label() {
    return label;
  }

  /** The pass labelled {@code text} (case-insensitive). */
  public static Pass parse(String text) {
    for (Pass p : values()) {
      if (p.label.equalsIgnoreCase(text.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "pass = "
            + text
            + ": unknown; one of "
            + Arrays.stream(values()).map(Pass::label).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return label;
  }
}
