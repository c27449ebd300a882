package org.convcl.impl;

import java.util.Collections;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Values for an implementation's tunables, sorted by name: what the choice table stores and the
 * tuner varies. Immutable. Written {@code CONV_KB=8,WG=64} (empty: {@code -}).
 */
public final class Settings {
  /** No tunables set. */
  public static final Settings NONE = new Settings(Map.of());

  private final Map<String, Integer> values;

  private Settings(Map<String, Integer> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public static Settings of(Map<String, Integer> values) {
    return values.isEmpty() ? NONE : new Settings(values);
  }

  /**
   * Parses {@code NAME=value,NAME=value} (or {@code -} / empty for none).
   *
   * @throws IllegalArgumentException naming the bad part
   */
  public static Settings parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty() || t.equals("-")) {
      return NONE;
    }
    Map<String, Integer> m = new TreeMap<>();
    for (String part : t.split(",")) {
      String[] kv = part.split("=", -1);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException(
            "settings '" + text + "': '" + part + "' must be NAME=integer");
      }
      try {
        m.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "settings '" + text + "': '" + part + "' must be NAME=integer", e);
      }
    }
    return of(m);
  }

  /** The value of {@code name}, or the tunable's default when it is not set. */
  public int get(Tunable t) {
    return values.getOrDefault(t.name(), t.defaultValue());
  }

  public Map<String, Integer> values() {
    return values;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** These settings with {@code name = value}. */
  public Settings with(String name, int value) {
    Map<String, Integer> m = new TreeMap<>(values);
    m.put(name, value);
    return new Settings(m);
  }

  /** OpenCL build options: {@code -DNAME=value} for each, space-separated, sorted by name. */
  public String defines() {
    StringJoiner j = new StringJoiner(" ");
    values.forEach((k, v) -> j.add("-D" + k + "=" + v));
    return j.toString();
  }

  @Override
  public String toString() {
    if (values.isEmpty()) {
      return "-";
    }
    StringJoiner j = new StringJoiner(",");
    values.forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Settings s && s.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }
}
