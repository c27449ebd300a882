package org.convcl.contract;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.convcl.impl.Implementation;
import org.convcl.impl.ImplementationRegistry;
import org.convcl.impl.Pass;
import org.convcl.impl.Settings;
import org.convcl.impl.Tunable;
import org.convcl.ops.Activation;
import org.convcl.ops.BackendProvider;
import org.convcl.ops.BackendUnavailableException;
import org.convcl.ops.Backends;
import org.convcl.ops.DeviceEntry;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvGeometry;
import org.convcl.testutil.Required;
import org.convcl.tune.ConvWorkload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The one contract every convolution implementation meets, on every backend the providers offer
 * (the first device of each; the reference backend is the oracle): each registered implementation,
 * at its defaults and at up to {@code MAX_SETTINGS - 1} legal values of its tunables (one at a
 * time, evenly spaced; see {@link #oneAtATime}), on seeded random geometries, agrees with the
 * oracle within {@link org.convcl.tune.Agreement}'s bound, on outputs poisoned with NaN. A backend
 * without registered implementations is held to it through its public ops. Each case is its own
 * test, named by backend, implementation, settings, seed and geometry, so one failure hides
 * nothing. A new implementation or backend is picked up with no edit here. Forward passes are also
 * run with each of {@link #EPILOGUES} applied to the output: through the public ops (fused or as
 * the backend's separate pass) and, for an implementation that {@link
 * Implementation#fusesEpilogue() fuses} it, on the implementation itself.
 */
class ConvContractTest {
  /** Geometries per (implementation, settings). */
  static final int CASES = 12;

  /** Geometries for a backend's public ops. */
  static final int OPS_CASES = 40;

  /** The activations a forward pass may fuse, and geometries per implementation for each. */
  static final List<Activation> EPILOGUES = List.of(Activation.RELU, Activation.leakyRelu(0.1f));

  static final int EPILOGUE_CASES = 6;

  private static final List<Ops> opened = new ArrayList<>();
  private static Ops oracle;

  @AfterAll
  static void closeAll() {
    opened.forEach(Ops::close);
    opened.clear();
    if (oracle != null) {
      oracle.close();
    }
  }

  @TestFactory
  Stream<DynamicNode> everyImplementationAgreesWithTheOracle() {
    oracle = Oracle.open();
    List<DynamicNode> backends = new ArrayList<>();
    for (BackendProvider p : Backends.providers()) {
      if (p.name().equals("ref")) {
        continue;
      }
      Ops ops = open(p);
      if (ops != null) {
        opened.add(ops);
        backends.add(DynamicContainer.dynamicContainer(ops.name(), forBackend(ops)));
      }
    }
    return backends.stream();
  }

  /** The provider's first device, or null (a skip) when its runtime is missing. */
  private static Ops open(BackendProvider p) {
    try {
      List<DeviceEntry> devices = p.devices();
      return devices.isEmpty() ? null : p.open(devices.get(0).spec());
    } catch (BackendUnavailableException e) {
      if (p.name().equals("opencl") && Required.strict()) {
        fail(Required.STRICT + "=1 but " + e.getMessage());
      }
      System.err.println("ConvContractTest: SKIPPING backend " + p.name() + ": " + e.getMessage());
      return null;
    }
  }

  private static Stream<DynamicNode> forBackend(Ops ops) {
    ImplementationRegistry<?> registry = ops.implementations().orElse(null);
    List<DynamicNode> nodes = new ArrayList<>();
    nodes.add(DynamicContainer.dynamicContainer("public ops", publicOps(ops)));
    if (registry != null) {
      nodes.addAll(implementations(ops, registry));
    }
    return nodes.stream();
  }

  private static Stream<DynamicNode> publicOps(Ops ops) {
    List<DynamicNode> tests = new ArrayList<>();
    List<ConvGeometry> cases = ContractCases.cases(OPS_CASES, ContractCases.SEED);
    for (Pass pass : Pass.values()) {
      for (int i = 0; i < cases.size(); i++) {
        ConvGeometry g = cases.get(i);
        long seed = ContractCases.SEED + i;
        tests.add(
            DynamicTest.dynamicTest(
                pass + " seed " + seed + " " + g,
                () -> {
                  try (ConvWorkload w = new ConvWorkload(ops, oracle, pass, g, seed)) {
                    assertNull(w.checkOps(), () -> ops.name() + " " + pass + " " + g);
                  }
                }));
      }
    }
    for (Activation f : EPILOGUES) {
      for (int i = 0; i < EPILOGUE_CASES; i++) {
        ConvGeometry g = cases.get(i);
        long seed = ContractCases.SEED + i;
        tests.add(
            DynamicTest.dynamicTest(
                "CONV_FORWARD + " + f + " seed " + seed + " " + g,
                () -> {
                  try (ConvWorkload w =
                      new ConvWorkload(ops, oracle, Pass.CONV_FORWARD, g, seed, f)) {
                    assertNull(w.checkOps(), () -> ops.name() + " forward + " + f + " " + g);
                  }
                }));
      }
    }
    return tests.stream();
  }

  private static <B> List<DynamicNode> implementations(Ops ops, ImplementationRegistry<B> r) {
    List<DynamicNode> nodes = new ArrayList<>();
    for (Implementation<B> impl : r.all()) {
      List<DynamicNode> tests = new ArrayList<>();
      for (Settings s : oneAtATime(impl)) {
        List<ConvGeometry> cases = ContractCases.cases(CASES, ContractCases.SEED ^ s.hashCode());
        for (int i = 0; i < cases.size(); i++) {
          ConvGeometry g = cases.get(i);
          long seed = ContractCases.SEED * 7 + i;
          if (impl.whyNot(r.backend(), g, s) != null) {
            continue; // outside what it claims to handle (its whyNot has its own tests)
          }
          String name = impl.name() + " " + s + " seed " + seed + " " + g;
          tests.add(DynamicTest.dynamicTest(name, () -> check(ops, r, impl, s, g, seed, null)));
          if (impl.fusesEpilogue() && i < EPILOGUE_CASES) {
            for (Activation f : EPILOGUES) {
              tests.add(
                  DynamicTest.dynamicTest(
                      name + " + " + f, () -> check(ops, r, impl, s, g, seed, f)));
            }
          }
        }
      }
      nodes.add(DynamicContainer.dynamicContainer(impl.name(), tests.stream()));
    }
    return nodes;
  }

  private static <B> void check(
      Ops ops,
      ImplementationRegistry<B> r,
      Implementation<B> impl,
      Settings s,
      ConvGeometry g,
      long seed,
      Activation epilogue) {
    try (ConvWorkload w = new ConvWorkload(ops, oracle, impl.pass(), g, seed, epilogue)) {
      String wrong = w.check(() -> impl.run(r.backend(), w.call(), s));
      assertNull(wrong, () -> impl.name() + " " + s + " on " + g);
    }
  }

  /** Settings per implementation at most: each one is a program build on OpenCL. */
  static final int MAX_SETTINGS = 6;

  /**
   * The defaults, then each legal value of each tunable with the others at their defaults; where
   * that makes more than {@link #MAX_SETTINGS}, an evenly spaced selection of them (the defaults
   * always), the same on every run.
   */
  static <B> List<Settings> oneAtATime(Implementation<B> impl) {
    List<Settings> out = new ArrayList<>();
    for (Tunable t : impl.tunables()) {
      for (int v : t.legal()) {
        if (v != t.defaultValue()) {
          out.add(impl.defaults().with(t.name(), v));
        }
      }
    }
    List<Settings> picked = new ArrayList<>(List.of(impl.defaults()));
    int room = MAX_SETTINGS - 1;
    for (int i = 0; i < Math.min(room, out.size()); i++) {
      picked.add(out.get((int) ((long) i * out.size() / Math.min(room, out.size()))));
    }
    return picked;
  }
}
