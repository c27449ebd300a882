package org.convcl.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves each training setting as: the option given on this command line, else the value the
 * resumed checkpoint recorded, else the default; and records what was used, for the next
 * checkpoint.
 */
final class Settings {
  private final Map<String, String> saved;
  private final Map<String, String> used = new LinkedHashMap<>();

  Settings(Map<String, String> saved) {
    this.saved = saved;
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

  int integer(String key, Integer explicit, int dflt) {
    return Integer.parseInt(text(key, explicit, dflt));
  }

  float number(String key, Float explicit, float dflt) {
    return Float.parseFloat(text(key, explicit, dflt));
  }

  long longNumber(String key, Long explicit, long dflt) {
    return Long.parseLong(text(key, explicit, dflt));
  }

  boolean flag(String key, Boolean explicit, boolean dflt) {
    return Boolean.parseBoolean(text(key, explicit, dflt));
  }

  Map<String, String> used() {
    return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(used));
  }
}
