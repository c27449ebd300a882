package org.convcl.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convcl.ops.Activation;
import org.convcl.tensor.ConvGeometry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend instance's implementations and how it chooses among them. For a pass and shape the
 * choice is, in order: an override ({@link Overrides}); the first usable entry of the {@link
 * ChoiceTable} (one whose implementation exists, whose source hash is current, whose settings are
 * legal and which applies to the shape); else the first registered implementation that applies at
 * its defaults. Choices are remembered per geometry and logged once at debug level ({@code
 * --verbose}).
 *
 * @param <B> the backend the implementations run on
 */
public final class ImplementationRegistry<B> {
  private static final Logger LOG = LoggerFactory.getLogger(ImplementationRegistry.class);

  /** A choice with the implementation object that makes it. */
  public record Resolved<B>(Implementation<B> implementation, Choice choice) {}

  private record Key(Pass pass, ConvGeometry geometry) {}

  private final B backend;
  private final DeviceKey deviceKey;
  private final List<Implementation<B>> implementations;
  private final ChoiceTable table;
  private Overrides overrides;
  private final Map<Key, Resolved<B>> chosen = new HashMap<>();
  private final Set<TableEntry> reported = new HashSet<>();

  public ImplementationRegistry(
      B backend,
      DeviceKey deviceKey,
      List<Implementation<B>> implementations,
      ChoiceTable table,
      Overrides overrides) {
    this.backend = backend;
    this.deviceKey = deviceKey;
    this.implementations = List.copyOf(implementations);
    this.table = table;
    this.overrides = overrides;
    Set<String> names = new HashSet<>();
    for (Implementation<B> i : implementations) {
      if (!names.add(i.pass() + " " + i.name())) {
        throw new IllegalArgumentException(
            "implementation " + i.name() + " of " + i.pass() + " is registered twice");
      }
    }
    checkOverrides(overrides);
  }

  public B backend() {
    return backend;
  }

  public DeviceKey deviceKey() {
    return deviceKey;
  }

  public ChoiceTable table() {
    return table;
  }

  /** Every registered implementation, in registration order. */
  public List<Implementation<B>> all() {
    return implementations;
  }

  /** The implementations of {@code pass}, in registration order. */
  public List<Implementation<B>> forPass(Pass pass) {
    return implementations.stream().filter(i -> i.pass() == pass).toList();
  }

  /**
   * The implementation of {@code pass} named {@code name}, or null. A name is unique per pass: one
   * kernel may serve several passes (the dense GEMM serves all three of a pointwise convolution).
   */
  public Implementation<B> find(Pass pass, String name) {
    for (Implementation<B> i : implementations) {
      if (i.pass() == pass && i.name().equals(name)) {
        return i;
      }
    }
    return null;
  }

  /** This registry with {@code extra} registered last, sharing the backend and table. */
  public ImplementationRegistry<B> with(Implementation<B> extra) {
    List<Implementation<B>> all = new ArrayList<>(implementations);
    all.add(extra);
    return new ImplementationRegistry<>(backend, deviceKey, all, table, overrides);
  }

  /** This registry with only the implementations {@code keep} accepts, sharing the table. */
  public ImplementationRegistry<B> only(java.util.function.Predicate<Implementation<B>> keep) {
    return new ImplementationRegistry<>(
        backend, deviceKey, implementations.stream().filter(keep).toList(), table, overrides);
  }

  /** Replaces the overrides (forgetting earlier choices). */
  public void override(Overrides o) {
    checkOverrides(o);
    this.overrides = o;
    chosen.clear();
  }

  /** Forgets remembered choices, after the table changed. */
  public void tableChanged() {
    chosen.clear();
    reported.clear();
  }

  /**
   * Runs {@code call} with the implementation chosen for its pass and shape, and returns the part
   * of it still to do: the call's epilogue when the implementation does not fuse it (the backend
   * then applies it to the output in place), else null.
   */
  public Activation run(ConvCall call) {
    Resolved<B> r = choose(call.pass(), call.geometry());
    Implementation<B> impl = r.implementation();
    boolean fused = impl.fusesEpilogue();
    impl.run(backend, fused ? call : call.withoutEpilogue(), r.choice().settings());
    return fused ? null : call.epilogue();
  }

  /** The choice for {@code pass} on {@code g} (see the class comment). */
  public Resolved<B> choose(Pass pass, ConvGeometry g) {
    Key key = new Key(pass, g);
    Resolved<B> r = chosen.get(key);
    if (r == null) {
      r = resolve(pass, g);
      chosen.put(key, r);
      LOG.debug("{} {}: {} ({})", pass, ShapeKey.of(g), r.choice().label(), r.choice().source());
    }
    return r;
  }

  private Resolved<B> resolve(Pass pass, ConvGeometry g) {
    Overrides.Forced forced = overrides.get(pass, ShapeKey.classesOf(g));
    if (forced != null) {
      Implementation<B> impl = find(pass, forced.implementation());
      Settings s = merged(impl, forced.settings());
      String why = impl.whyNot(backend, g, s);
      if (why != null) {
        throw new IllegalArgumentException(
            "implementation override "
                + pass
                + "="
                + impl.name()
                + " cannot run "
                + g
                + ": "
                + why);
      }
      return new Resolved<>(impl, new Choice(impl.name(), s, "override"));
    }
    List<String> shapes = new ArrayList<>(List.of(ShapeKey.of(g)));
    shapes.addAll(ShapeKey.classesOf(g));
    for (TableEntry e : table.candidates(deviceKey, pass, shapes)) {
      Resolved<B> r = usable(e, pass, g);
      if (r != null) {
        return r;
      }
    }
    for (Implementation<B> impl : forPass(pass)) {
      if (impl.whyNot(backend, g, impl.defaults()) == null) {
        return new Resolved<>(impl, new Choice(impl.name(), impl.defaults(), "fallback"));
      }
    }
    throw new IllegalStateException("no implementation of " + pass + " can run " + g);
  }

  /** The entry's choice if it can be used for {@code g}, else null (with a log line why). */
  private Resolved<B> usable(TableEntry e, Pass pass, ConvGeometry g) {
    Implementation<B> impl = find(pass, e.implementation());
    if (impl == null) {
      reportOnce(e, "names no " + pass + " implementation of this backend");
      return null;
    }
    String hash = e.sourceHash() == null ? "" : e.sourceHash();
    if (!hash.isEmpty() && !hash.equals(impl.sourceHash(backend))) {
      reportOnce(e, "is stale: it was tuned for other kernel source");
      return null;
    }
    Settings s;
    try {
      s = Settings.parse(e.settings());
    } catch (IllegalArgumentException ex) {
      reportOnce(e, ex.getMessage());
      return null;
    }
    String illegal = impl.illegal(s);
    if (illegal != null) {
      reportOnce(e, illegal);
      return null;
    }
    s = merged(impl, s);
    String why = impl.whyNot(backend, g, s);
    if (why != null) {
      LOG.debug("choice {} {} does not apply to {}: {}", impl.name(), s, g, why);
      return null;
    }
    String source = table.isTuned(e) ? "tuned" : "shipped";
    return new Resolved<>(impl, new Choice(impl.name(), s, source));
  }

  private void reportOnce(TableEntry e, String why) {
    if (reported.add(e)) {
      LOG.info(
          "ignoring choice-table entry {} {} -> {} {}: {}",
          e.pass(),
          e.shape(),
          e.implementation(),
          e.settings(),
          why);
    }
  }

  /** The defaults overlaid with {@code s}. */
  private static <B> Settings merged(Implementation<B> impl, Settings s) {
    Settings m = impl.defaults();
    for (Map.Entry<String, Integer> e : s.values().entrySet()) {
      m = m.with(e.getKey(), e.getValue());
    }
    return m;
  }

  private void checkOverrides(Overrides o) {
    for (Pass p : Pass.values()) {
      for (Overrides.Forced f : o.all(p)) {
        checkOverride(p, f);
      }
    }
  }

  private void checkOverride(Pass p, Overrides.Forced f) {
    Implementation<B> impl = find(p, f.implementation());
    if (impl == null) {
      throw new IllegalArgumentException(
          "implementation override "
              + p
              + "="
              + f.implementation()
              + ": no such implementation; "
              + p
              + " has "
              + forPass(p).stream().map(Implementation::name).distinct().toList());
    }
    String illegal = impl.illegal(f.settings());
    if (illegal != null) {
      throw new IllegalArgumentException("implementation override " + p + ": " + illegal);
    }
  }
}
