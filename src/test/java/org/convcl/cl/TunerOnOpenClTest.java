package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.convcl.contract.Oracle;
import org.convcl.impl.Choice;
import org.convcl.impl.ConvCall;
import org.convcl.impl.Implementation;
import org.convcl.impl.ImplementationRegistry;
import org.convcl.impl.Overrides;
import org.convcl.impl.Pass;
import org.convcl.impl.Settings;
import org.convcl.impl.ShapeKey;
import org.convcl.impl.TableEntry;
import org.convcl.impl.Tunable;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.Shape;
import org.convcl.testutil.Expect;
import org.convcl.tune.Outcome;
import org.convcl.tune.TuneJob;
import org.convcl.tune.Tuner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The tuner and the registry's choice on a real OpenCL device. */
@Tag("opencl")
class TunerOnOpenClTest {
  private static final String MODEL = "conv3x3x6-relu-conv3x3x5p1";
  private static final Shape INPUT = Shape.of(2, 9, 11);

  private ClOps cl;
  private Ops reference;

  @BeforeEach
  void open() {
    cl = ClOps.open(ClTestSupport.ops().device());
    reference = Oracle.open();
  }

  @AfterEach
  void close() {
    cl.close();
    reference.close();
  }

  /**
   * Tunes the model over the direct kernels only (each setting of the implicit GEMMs is a program
   * build of seconds on PoCL; what is tested here is the tuner, not them).
   */
  private List<Outcome> tune(ImplementationRegistry<ClOps> registry) {
    List<TuneJob> jobs = TuneJob.forModel(MODEL, INPUT, 3);
    return new Tuner(cl, reference, Duration.ofSeconds(10), (d, t, w) -> {}, 7)
        .tune(registry.only(i -> !i.name().startsWith("conv_igemm")), jobs);
  }

  /** A forward-pass candidate with no tunables that claims every shape: its body is a lambda. */
  private record Candidate(String name, String summary, ClConvKernel.Launcher body)
      implements Implementation<ClOps> {
    @Override
    public Pass pass() {
      return Pass.CONV_FORWARD;
    }

    @Override
    public List<Tunable> tunables() {
      return List.of();
    }

    @Override
    public String whyNot(ClOps ops, ConvGeometry g, Settings s) {
      return null;
    }

    @Override
    public void run(ClOps ops, ConvCall call, Settings s) {
      body.launch(ops, null, call, s);
    }
  }

  /** Fast because it computes nothing: it would win every timing if the tuner did not check. */
  private static Implementation<ClOps> zeroForward() {
    return new Candidate(
        "conv_forward_wrong_zero", "writes zeros", (ops, l, call, s) -> ops.fill(call.out(), 0f));
  }

  /** Right but for one element, 1% off. */
  private static Implementation<ClOps> oneElementOff(Implementation<ClOps> right) {
    return new Candidate(
        "conv_forward_wrong_one_element",
        "one element 1% off",
        (ops, l, call, s) -> {
          right.run(ops, call, right.defaults());
          float[] y = ops.read(call.out());
          y[y.length / 2] = y[y.length / 2] * 1.01f + 1e-3f;
          ops.write(call.out(), y);
        });
  }

  @Test
  void wrongCandidatesAreRejectedAndNeverKept() {
    ImplementationRegistry<ClOps> registry =
        cl.registry()
            .with(zeroForward())
            .with(oneElementOff(cl.registry().find(Pass.CONV_FORWARD, "conv_forward_v1")));
    List<Outcome> outcomes = tune(registry);
    int forward = 0;
    for (Outcome o : outcomes) {
      assertFalse(o.winner().implementation().contains("wrong"), o.toString());
      if (o.job().pass() == Pass.CONV_FORWARD) {
        forward++;
        List<String> rejected = o.rejected();
        assertEquals(2, rejected.size(), rejected.toString());
        assertTrue(rejected.get(0).startsWith("conv_forward_wrong_zero"), rejected.toString());
        assertTrue(
            rejected.get(1).startsWith("conv_forward_wrong_one_element"), rejected.toString());
      }
    }
    assertEquals(2, forward);
    for (TableEntry e : registry.table().tunedEntries()) {
      assertFalse(e.implementation().contains("wrong"), e.toString());
    }
  }

  @Test
  void theRegistryRunsWhatTheTunerKeptAndIgnoresStaleEntries() {
    ImplementationRegistry<ClOps> registry = cl.registry();
    List<Outcome> outcomes = tune(registry);
    assertEquals(5, outcomes.size(), "forward and filter of both layers, input of the second");
    for (Outcome o : outcomes) {
      assertTrue(o.timed() >= 2, o.toString());
      Choice now = registry.choose(o.job().pass(), o.job().geometry()).choice();
      assertEquals("tuned", now.source(), o.toString());
      assertEquals(o.winner().label(), now.label());
    }
    // The same slot tuned for other kernel source is stale: the shipped default runs instead.
    Outcome first = outcomes.get(0);
    ConvGeometry g = first.job().geometry();
    TableEntry stale =
        TableEntry.forDevice(
            registry.deviceKey(),
            first.job().pass(),
            ShapeKey.of(g),
            first.winner(),
            "0123456789abcdef",
            1);
    registry.table().put(stale);
    registry.tableChanged();
    assertEquals("shipped", registry.choose(first.job().pass(), g).choice().source());
  }

  @Test
  void overridesWinAndAreCheckedWhenSet() {
    ImplementationRegistry<ClOps> registry = cl.registry();
    ConvGeometry g = TuneJob.forModel(MODEL, INPUT, 3).get(0).geometry();
    registry.override(Overrides.parse(List.of("convForward=conv_forward_v2:CONV_KB=2,WG=16")));
    Choice c = registry.choose(Pass.CONV_FORWARD, g).choice();
    assertEquals("conv_forward_v2 CONV_KB=2,WG=16", c.label());
    assertEquals("override", c.source());
    Expect.illegalArgument(
        () -> registry.override(Overrides.parse(List.of("convForward=conv_forward_v9"))),
        "no such implementation",
        "conv_forward_v1");
    Expect.illegalArgument(
        () -> registry.override(Overrides.parse(List.of("convForward=conv_forward_v2:CONV_KB=3"))),
        "CONV_KB = 3 is not one of");
    registry.override(Overrides.NONE);
    assertEquals("shipped", registry.choose(Pass.CONV_FORWARD, g).choice().source());
  }
}
