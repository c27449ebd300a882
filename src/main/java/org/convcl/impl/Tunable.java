package org.convcl.impl;

import java.util.List;
import org.convcl.tensor.Require;

/**
 * One tunable of an implementation: a build define or launch parameter (e.g. {@code CONV_KB}, the
 * filters per work-item), its default and every legal value the tuner may try.
 */
public record Tunable(String name, int defaultValue, List<Integer> legal) {
  public Tunable {
    Require.that(
        name != null && name.matches("[A-Z][A-Z0-9_]*"),
        "tunable name",
        name,
        "must be UPPER_CASE");
    legal = List.copyOf(legal);
    Require.that(!legal.isEmpty(), "tunable " + name + " legal values", legal, "must not be empty");
    Require.that(
        legal.contains(defaultValue),
        "tunable " + name + " default",
        defaultValue,
        "must be one of its legal values " + legal);
  }

  /** {@code name} with default {@code defaultValue} and legal values {@code legal}. */
  public static Tunable of(String name, int defaultValue, Integer... legal) {
    return new Tunable(name, defaultValue, List.of(legal));
  }
}
