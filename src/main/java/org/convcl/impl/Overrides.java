package org.convcl.impl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forced choices for experiments: {@code PASS[@SCOPE]=IMPLEMENTATION[:SETTINGS]}, e.g. {@code
 * convForward=conv_forward_v2:CONV_KB=4} or {@code convForward@pointwise=dense_gemm_v1}, from
 * {@code --impl} (repeatable) or {@code $CONVCL_IMPL} (several separated by {@code ;} or spaces).
 * The scope is a shape class ({@code pointwise}: the dense layers' products; {@code depthwise}: one
 * input channel per group) or {@code *} (every shape, the default); the most specific scope that
 * matches a shape applies. A forced implementation that cannot run a shape of its scope is an error
 * there, never silently replaced.
 */
public final class Overrides {
  /** The environment variable read by every backend that has implementations. */
  public static final String ENV = "CONVCL_IMPL";

  /** No overrides. */
  public static final Overrides NONE = new Overrides(Map.of());

  /** One forced choice. */
  public record Forced(String implementation, Settings settings) {}

  private record Key(Pass pass, String scope) {}

  private final Map<Key, Forced> forced;

  private Overrides(Map<Key, Forced> forced) {
    this.forced = Map.copyOf(forced);
  }

  /**
   * Parses each text, and each {@code ;}- or space-separated part of it.
   *
   * @throws IllegalArgumentException naming the bad part and the accepted form
   */
  public static Overrides parse(List<String> texts) {
    Map<Key, Forced> m = new LinkedHashMap<>();
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
        String target = part.substring(0, eq);
        int at = target.indexOf('@');
        Pass pass = Pass.parse(at < 0 ? target : target.substring(0, at));
        String scope = at < 0 ? ShapeKey.ANY : target.substring(at + 1);
        if (!scope.equals(ShapeKey.ANY)
            && !scope.equals(ShapeKey.POINTWISE)
            && !scope.equals(ShapeKey.DEPTHWISE)) {
          throw new IllegalArgumentException(
              "implementation override '"
                  + part
                  + "': the scope after @ must be "
                  + ShapeKey.POINTWISE
                  + ", "
                  + ShapeKey.DEPTHWISE
                  + " or "
                  + ShapeKey.ANY);
        }
        String rest = part.substring(eq + 1);
        int colon = rest.indexOf(':');
        String impl = colon < 0 ? rest : rest.substring(0, colon);
        Settings s = colon < 0 ? Settings.NONE : Settings.parse(rest.substring(colon + 1));
        m.put(new Key(pass, scope), new Forced(impl, s));
      }
    }
    return m.isEmpty() ? NONE : new Overrides(m);
  }

  /** The forced choice for {@code pass} on every shape (scope {@code *}), or null. */
  public Forced get(Pass pass) {
    return forced.get(new Key(pass, ShapeKey.ANY));
  }

  /** The forced choice for {@code pass} on shapes of {@code classes} (most specific first). */
  public Forced get(Pass pass, java.util.List<String> classes) {
    for (String c : classes) {
      Forced f = forced.get(new Key(pass, c));
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  /** Every forced choice of {@code pass}, whatever its scope. */
  public java.util.List<Forced> all(Pass pass) {
    return forced.entrySet().stream()
        .filter(e -> e.getKey().pass() == pass)
        .map(Map.Entry::getValue)
        .toList();
  }

  public boolean isEmpty() {
    return forced.isEmpty();
  }

  @Override
  public String toString() {
    return forced.toString();
  }
}
