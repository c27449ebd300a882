package org.convcl.impl;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Forced choices for experiments: {@code PASS=IMPLEMENTATION[:SETTINGS]}, e.g. {@code
 * convForward=conv_forward_v2:CONV_KB=4}, from {@code --impl} (repeatable) or {@code $CONVCL_IMPL}
 * (several separated by {@code ;} or spaces). A forced implementation that cannot run a shape is an
 * error there, never silently replaced.
 */
public final class Overrides {
  /** The environment variable read by every backend that has implementations. */
  public static final String ENV = "CONVCL_IMPL";

  /** No overrides. */
  public static final Overrides NONE = new Overrides(Map.of());

  /** One forced choice. */
  public record Forced(String implementation, Settings settings) {}

  private final Map<Pass, Forced> forced;

  private Overrides(Map<Pass, Forced> forced) {
    this.forced = Map.copyOf(forced);
  }

  /**
   * Parses each text, and each {@code ;}- or space-separated part of it.
   *
   * @throws IllegalArgumentException naming the bad part and the accepted form
   */
  public static Overrides parse(List<String> texts) {
    Map<Pass, Forced> m = new EnumMap<>(Pass.class);
    for (String text : texts) {
      if (text == null) {
        continue;
      }
      for (String part : text.trim().split("[;\\s]+")) {
        if (part.isEmpty()) {
          continue;
        }
        int eq = part.indexOf('=');
        if (eq <= 0 || eq == part.length() - 1) {
          throw new IllegalArgumentException(
              "implementation override '"
                  + part
                  + "': must be PASS=IMPLEMENTATION[:NAME=value,...], e.g."
                  + " convForward=conv_forward_v2:CONV_KB=4");
        }
        Pass pass = Pass.parse(part.substring(0, eq));
        String rest = part.substring(eq + 1);
        int colon = rest.indexOf(':');
        String impl = colon < 0 ? rest : rest.substring(0, colon);
        Settings s = colon < 0 ? Settings.NONE : Settings.parse(rest.substring(colon + 1));
        m.put(pass, new Forced(impl, s));
      }
    }
    return m.isEmpty() ? NONE : new Overrides(m);
  }

  /** The forced choice for {@code pass}, or null. */
  public Forced get(Pass pass) {
    return forced.get(pass);
  }

  public boolean isEmpty() {
    return forced.isEmpty();
  }

  @Override
  public String toString() {
    return forced.toString();
  }
}
