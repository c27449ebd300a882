package org.convcl.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Resolves each training setting as: the option given on this command line, else the value the
 * resumed checkpoint recorded, else the default; and records what was used, for the next
 * checkpoint. A recorded value that does not parse is a damaged file, reported with the file's name
 * (exit 1), not as an option error.
 */
final class Settings {
  private final Map<String, String> saved;
  private final Path savedIn;
  private final Map<String, String> used = new LinkedHashMap<>();

  /** No saved settings: options and defaults only. */
  Settings() {
    this(Map.of(), null);
  }

  /** The settings {@code savedIn} (a checkpoint) recorded. */
  Settings(Map<String, String> saved, Path savedIn) {
    this.saved = saved;
    this.savedIn = savedIn;
  }

  String text(String key, Object explicit, Object dflt) {
    String v =
        explicit != null
            ? explicit.toString()
            : saved.containsKey(key) ? saved.get(key) : dflt == null ? null : dflt.toString();
    if (v != null) {
      used.put(key, v);
    }
    return v;
  }

  /**
   * The setting parsed by {@code parse}; a saved value it refuses is reported as a damaged
   * checkpoint setting naming the file.
   */
  <T> T parsed(String key, Object explicit, Object dflt, Function<String, T> parse) {
    String v = text(key, explicit, dflt);
    try {
      return parse.apply(v);
    } catch (IllegalArgumentException e) {
      if (explicit == null && saved.containsKey(key)) {
        throw new IllegalStateException(
            savedIn + ": corrupt setting " + key + " = " + v + " (" + e.getMessage() + ")", e);
      }
      throw e;
    }
  }

  int integer(String key, Integer explicit, int dflt) {
    return parsed(key, explicit, dflt, Settings::positiveInt);
  }

  float number(String key, Float explicit, float dflt) {
    return parsed(key, explicit, dflt, Float::parseFloat);
  }

  long longNumber(String key, Long explicit, long dflt) {
    return parsed(key, explicit, dflt, Long::parseLong);
  }

  boolean flag(String key, Boolean explicit, boolean dflt) {
    return parsed(key, explicit, dflt, Settings::bool);
  }

  private static int positiveInt(String s) {
    int v = Integer.parseInt(s);
    if (v < 1) {
      throw new IllegalArgumentException("must be at least 1");
    }
    return v;
  }

  private static boolean bool(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("not true or false");
    };
  }

  Map<String, String> used() {
    return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(used));
  }
}
