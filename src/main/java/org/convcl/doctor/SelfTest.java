package org.convcl.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.convcl.impl.Implementation;
import org.convcl.impl.ImplementationRegistry;
import org.convcl.impl.Pass;
import org.convcl.ops.Activation;
import org.convcl.ops.AdamConfig;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.ops.Ops;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.tune.ConvWorkload;

/**
 * Runs every op of the SPI on small seeded cases on a device and on the reference backend and
 * compares them: floats within {@code 1e-4 |reference| + 1e-5 max|reference|} (the cases sum at
 * most a few hundred terms, whose float error is far below that), ints exactly; the convolution
 * passes, through the device's own choice and through every registered implementation at its
 * defaults (which builds each kernel), within {@link org.convcl.tune.Agreement}'s bound. A check
 * that throws (a kernel that does not build, a launch the driver refuses) fails with the error.
 */
public final class SelfTest {
  private static final long SEED = 20_261_201L;

  /**
   * Convolutions of the checks: LeNet-like, strided and padded asymmetrically, grouped, and
   * pointwise (a dense layer's products).
   */
  static final List<ConvGeometry> CONVS =
      List.of(
          ConvGeometry.of(2, 1, 12, 12, 4, ConvParams.of(5)),
          ConvGeometry.of(3, 37, 1, 1, 11, ConvParams.of(1)),
          ConvGeometry.of(
              2, 6, 9, 11, 10, ConvParams.of(3).withStride(2).withPadding(new Padding(1, 0, 2, 1))),
          ConvGeometry.of(1, 8, 7, 7, 8, ConvParams.of(3).withPadding(1).withGroups(4)));

  static final List<PoolGeometry> POOLS =
      List.of(
          PoolGeometry.of(2, 3, 8, 8, PoolParams.of(2, 2)),
          PoolGeometry.of(2, 3, 9, 7, PoolParams.of(3, 2)));

  private final Ops device;
  private final Ops reference;

  public SelfTest(Ops device, Ops reference) {
    this.device = device;
    this.reference = reference;
  }

  /** Every check, in a fixed order; {@code each} hears each result as it is known. */
  public List<CheckResult> run(Consumer<CheckResult> each) {
    List<CheckResult> results = new ArrayList<>();
    Consumer<CheckResult> add =
        r -> {
          results.add(r);
          each.accept(r);
        };
    convolutions(add);
    device.implementations().ifPresent(r -> implementations(r, add));
    for (Check c : checks()) {
      add.accept(run(c));
    }
    return results;
  }

  private record Check(String name, Consumer<Scope> body) {}

  private void convolutions(Consumer<CheckResult> add) {
    for (Pass pass : Pass.values()) {
      for (ConvGeometry g : CONVS) {
        String name = pass + " " + label(g);
        add.accept(timed(name, () -> conv(pass, g, null)));
      }
    }
  }

  private <B> void implementations(ImplementationRegistry<B> r, Consumer<CheckResult> add) {
    for (Implementation<B> impl : r.all()) {
      for (ConvGeometry g : CONVS) {
        if (impl.whyNot(r.backend(), g, impl.defaults()) == null) {
          String name = impl.pass() + " " + impl.name() + " " + impl.defaults() + " " + label(g);
          add.accept(
              timed(
                  name,
                  () ->
                      conv(impl.pass(), g, w -> impl.run(r.backend(), w.call(), impl.defaults()))));
          break; // one geometry builds the kernel; the contract suite covers the rest
        }
      }
    }
  }

  /** {@code N2 c1 h12 w12 k4 r5x5 ...}: the batch and the table's shape key. */
  private static String label(ConvGeometry g) {
    return "N" + g.n() + " " + org.convcl.impl.ShapeKey.of(g);
  }

  /** Null when the pass (the device's choice, or {@code run}) agrees with the reference. */
  private String conv(Pass pass, ConvGeometry g, Consumer<ConvWorkload> run) {
    try (ConvWorkload w = new ConvWorkload(device, reference, pass, g, SEED)) {
      return run == null ? w.checkOps() : w.check(() -> run.accept(w));
    }
  }

  private interface Problem {
    String find();
  }

  private CheckResult timed(String name, Problem p) {
    long start = System.nanoTime();
    String problem;
    try {
      problem = p.find();
    } catch (RuntimeException e) {
      problem = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return new CheckResult(name, problem, (System.nanoTime() - start) / 1e6);
  }

  private CheckResult run(Check c) {
    return timed(c.name(), () -> compare(c));
  }

  private String compare(Check c) {
    List<float[]> expected;
    try (Scope ref = new Scope(reference, SEED)) {
      c.body().accept(ref);
      expected = ref.results();
    }
    try (Scope dev = new Scope(device, SEED)) {
      c.body().accept(dev);
      device.finish();
      List<float[]> actual = dev.results();
      for (int i = 0; i < expected.size(); i++) {
        String bad = differ(actual.get(i), expected.get(i), dev.isInts(i));
        if (bad != null) {
          return "result " + i + ": " + bad;
        }
      }
    }
    return null;
  }

  /** Null when {@code a} matches {@code e} (see the class comment). */
  static String differ(float[] a, float[] e, boolean exact) {
    double scale = 0;
    for (float v : e) {
      if (Float.isFinite(v)) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int i = 0; i < e.length; i++) {
      boolean ok =
          exact || !Float.isFinite(e[i])
              ? Float.compare(a[i], e[i]) == 0
              : Math.abs(a[i] - e[i]) <= 1e-4 * Math.abs(e[i]) + 1e-5 * Math.max(1, scale);
      if (!ok) {
        return "element " + i + " is " + a[i] + ", the reference " + e[i];
      }
    }
    return null;
  }

  private static List<Check> checks() {
    List<Check> c = new ArrayList<>();
    Shape x4 = Shape.of(3, 5, 6, 7);
    c.add(new Check("fill, copy, multiply, sum", SelfTest::elementwise));
    c.add(new Check("biasBackward", s -> s.ops().biasBackward(s.in(x4), s.out(Shape.of(5)))));
    for (PoolGeometry g : POOLS) {
      String p =
          " " + g.params().kernelH() + "x" + g.params().kernelW() + " s" + g.params().strideH();
      c.add(new Check("maxPoolForward" + p, s -> maxForward(s, g, true)));
      c.add(new Check("maxPoolBackward" + p, s -> maxBackward(s, g)));
      c.add(
          new Check(
              "avgPoolForward" + p,
              s -> s.ops().avgPoolForward(s.in(g.inputShape()), s.out(g.outputShape()), g)));
      c.add(
          new Check(
              "avgPoolBackward" + p,
              s -> s.ops().avgPoolBackward(s.in(g.outputShape()), s.out(g.inputShape()), g)));
    }
    for (Activation f :
        List.of(Activation.RELU, Activation.leakyRelu(0.1f), Activation.TANH, Activation.SIGMOID)) {
      c.add(new Check("activationForward " + f.kind(), s -> activationForward(s, f, x4)));
      c.add(new Check("activationBackward " + f.kind(), s -> activationBackward(s, f, x4)));
    }
    Shape in = Shape.of(4, 37);
    Shape w = Shape.of(11, 37);
    Shape out = Shape.of(4, 11);
    c.add(
        new Check(
            "denseForward",
            s -> s.ops().denseForward(s.in(in), s.in(w), s.in(Shape.of(11)), s.out(out))));
    c.add(
        new Check(
            "denseBackwardInput", s -> s.ops().denseBackwardInput(s.in(out), s.in(w), s.out(in))));
    c.add(
        new Check(
            "denseBackwardWeights",
            s -> s.ops().denseBackwardWeights(s.in(in), s.in(out), s.out(w))));
    c.add(new Check("softmaxForward", s -> s.ops().softmaxForward(s.in(out), s.out(out))));
    c.add(
        new Check(
            "softmaxCrossEntropyForward",
            s ->
                s.ops()
                    .softmaxCrossEntropyForward(
                        s.in(out), s.labels(4, 11), s.out(out), s.out(Shape.of(4)))));
    c.add(
        new Check(
            "softmaxCrossEntropyBackward",
            s ->
                s.ops()
                    .softmaxCrossEntropyBackward(
                        s.positive(out), s.labels(4, 11), 0.25f, s.out(out))));
    c.add(new Check("argmaxRows", s -> s.ops().argmaxRows(s.in(out), s.outInts(Shape.of(4)))));
    c.add(
        new Check(
            "dropoutForward",
            s -> s.ops().dropoutForward(s.in(x4), s.out(x4), s.out(x4), 0.4f, 77)));
    c.add(new Check("batchNormForward training", s -> batchNormForward(s, x4, true)));
    c.add(new Check("batchNormForward inference", s -> batchNormForward(s, x4, false)));
    c.add(new Check("batchNormBackward", s -> batchNormBackward(s, x4)));
    c.add(new Check("sgdUpdate momentum", s -> sgd(s, new SgdConfig(0.1f, 0.9f, false, 1e-3f))));
    c.add(new Check("sgdUpdate nesterov", s -> sgd(s, new SgdConfig(0.1f, 0.9f, true, 0f))));
    c.add(new Check("adamUpdate", SelfTest::adam));
    return c;
  }

  private static void elementwise(Scope s) {
    Shape sh = Shape.of(3, 301);
    Tensor a = s.in(sh);
    Tensor b = s.in(sh);
    s.ops().fill(s.out(sh), 0.375f);
    Tensor copied = s.out(sh);
    s.ops().copy(a, copied);
    s.ops().multiply(a, b, s.out(sh));
    s.scalar(s.ops().sum(a));
  }

  private static Tensor maxForward(Scope s, PoolGeometry g, boolean results) {
    Tensor x = s.in(g.inputShape());
    Tensor y = results ? s.out(g.outputShape()) : s.scratch(g.outputShape(), DType.FLOAT32);
    Tensor idx = results ? s.outInts(g.outputShape()) : s.scratch(g.outputShape(), DType.INT32);
    s.ops().maxPoolForward(x, y, idx, g);
    return idx;
  }

  private static void maxBackward(Scope s, PoolGeometry g) {
    Tensor idx = maxForward(s, g, false);
    s.ops().maxPoolBackward(s.in(g.outputShape()), idx, s.out(g.inputShape()), g);
  }

  private static void activationForward(Scope s, Activation f, Shape sh) {
    s.ops().activationForward(f, s.in(sh), s.out(sh));
  }

  private static void activationBackward(Scope s, Activation f, Shape sh) {
    Tensor x = s.in(sh);
    Tensor y = s.scratch(sh, DType.FLOAT32);
    s.ops().activationForward(f, x, y);
    s.ops().activationBackward(f, x, y, s.in(sh), s.out(sh));
  }

  private static BatchNormTensors batchNormForward(Scope s, Shape sh, boolean training) {
    Shape c = Shape.of(sh.dim(1));
    Tensor x = s.in(sh);
    Tensor gamma = s.positive(c);
    Tensor beta = s.in(c);
    Tensor mean = s.state(c);
    Tensor var = s.positiveState(c);
    Tensor saveMean = training ? s.out(c) : s.scratch(c, DType.FLOAT32);
    Tensor saveInvStd = training ? s.out(c) : s.scratch(c, DType.FLOAT32);
    BatchNormTensors t = BatchNormTensors.forForward(gamma, beta, mean, var, saveMean, saveInvStd);
    s.ops().batchNormForward(x, s.out(sh), t, BatchNormConfig.DEFAULT, training);
    return t;
  }

  private static void batchNormBackward(Scope s, Shape sh) {
    Shape c = Shape.of(sh.dim(1));
    Tensor x = s.in(sh);
    Tensor gamma = s.positive(c);
    Tensor saveMean = s.scratch(c, DType.FLOAT32);
    Tensor saveInvStd = s.scratch(c, DType.FLOAT32);
    BatchNormTensors f =
        BatchNormTensors.forForward(gamma, s.in(c), s.in(c), s.positive(c), saveMean, saveInvStd);
    s.ops().batchNormForward(x, s.scratch(sh, DType.FLOAT32), f, BatchNormConfig.DEFAULT, true);
    BatchNormTensors b =
        BatchNormTensors.forBackward(gamma, saveMean, saveInvStd, s.out(c), s.out(c));
    s.ops().batchNormBackward(x, s.in(sh), s.out(sh), b);
  }

  private static void sgd(Scope s, SgdConfig config) {
    Shape sh = Shape.of(257);
    Tensor param = s.state(sh);
    Tensor grad = s.in(sh);
    Tensor velocity = s.state(sh);
    s.ops().sgdUpdate(param, grad, velocity, config);
  }

  private static void adam(Scope s) {
    Shape sh = Shape.of(257);
    Tensor param = s.state(sh);
    Tensor grad = s.in(sh);
    Tensor m = s.state(sh);
    Tensor v = s.positiveState(sh);
    s.ops().adamUpdate(param, grad, m, v, new AdamConfig(1e-2f, 0.9f, 0.999f, 1e-8f, 1e-4f), 3);
  }
}
