package org.convcl.impl;

import java.util.ArrayList;
import java.util.List;
import org.convcl.tensor.ConvGeometry;

/**
 * One implementation of a pass on one backend: its name (the kernel or class that does the work),
 * the pass, its tunables, when it applies, and how it runs. Backends declare theirs in one place
 * (e.g. {@code org.convcl.cl.ClImplementations}); the contract suite and the tuner find them there,
 * so a new variant is its code plus one registration.
 *
 * @param <B> the backend it runs on (it reads device limits and launches through it)
 */
public interface Implementation<B> {
  /** A name unique on its backend, e.g. {@code conv_forward_v2}. */
  String name();

  Pass pass();

  /** One line: what it does differently. */
  String summary();

  /** Its tunables, with defaults and legal values; empty when it has none. */
  List<Tunable> tunables();

  /**
   * Why it cannot run {@code g} with {@code s} on {@code backend} (a device limit, a geometry it
   * does not handle, an illegal setting), or null when it can.
   */
  String whyNot(B backend, ConvGeometry g, Settings s);

  /**
   * Runs the pass; {@link #whyNot} was null for these arguments. A forward call's epilogue is
   * applied by the caller when {@link #fusesEpilogue} is false (the call then arrives without it).
   */
  void run(B backend, ConvCall call, Settings s);

  /**
   * Whether {@link #run} applies a forward call's {@link ConvCall#epilogue} itself, on each output
   * as it is written; when false the registry hands it the call without one and reports the
   * epilogue as pending (see {@link ImplementationRegistry#run}).
   */
  default boolean fusesEpilogue() {
    return false;
  }

  /**
   * A fingerprint of the code it runs (for a kernel: a hash of its program source), so a tuned
   * choice made for other code is recognised as stale; empty when not tracked.
   */
  default String sourceHash(B backend) {
    return "";
  }

  /** Every tunable at its default. */
  default Settings defaults() {
    Settings s = Settings.NONE;
    for (Tunable t : tunables()) {
      s = s.with(t.name(), t.defaultValue());
    }
    return s;
  }

  /**
   * Why {@code s} is not legal for this implementation (unknown name, value out of range), or null.
   */
  default String illegal(Settings s) {
    for (String name : s.values().keySet()) {
      Tunable t = tunables().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
      if (t == null) {
        return name() + " has no tunable " + name + " (it has " + tunables() + ")";
      }
      if (!t.legal().contains(s.values().get(name))) {
        return name() + ": " + name + " = " + s.values().get(name) + " is not one of " + t.legal();
      }
    }
    return null;
  }

  /** Every combination of legal tunable values (the defaults first), at most {@code limit}. */
  default List<Settings> settingsSpace(int limit) {
    List<Settings> all = new ArrayList<>(List.of(defaults()));
    for (Tunable t : tunables()) {
      List<Settings> next = new ArrayList<>();
      for (Settings s : all) {
        next.add(s);
        for (int v : t.legal()) {
          if (v != t.defaultValue() && next.size() < limit) {
            next.add(s.with(t.name(), v));
          }
        }
      }
      all = next; // never more than limit: a product of many tunables would not fit in memory
    }
    return all.size() > limit ? all.subList(0, limit) : all;
  }
}
