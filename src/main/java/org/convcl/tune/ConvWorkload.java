package org.convcl.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convcl.impl.ConvCall;
import org.convcl.impl.Pass;
import org.convcl.impl.ShapeKey;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * One convolution pass's seeded random tensors on a device, with the reference backend's result and
 * the magnitude of each element's terms (the same pass on absolute inputs), computed once: {@link
 * #check} poisons the device's output with NaN, runs a candidate and says whether its result {@link
 * Agreement agrees}. The tuner checks every candidate with it and the contract suite every
 * registered implementation. A forward workload may carry an epilogue (an activation applied to the
 * output); the bound still holds because ReLU and leaky ReLU with a slope in [0, 1] never widen a
 * difference, and on the absolute inputs they change nothing.
 */
public final class ConvWorkload implements AutoCloseable {
  private final Ops device;
  private final List<Tensor> owned = new ArrayList<>();
  private final ConvCall call;
  private final float[] expected;
  private final float[] magnitude;
  private final long terms;

  public ConvWorkload(Ops device, Ops reference, Pass pass, ConvGeometry g, long seed) {
    this(device, reference, pass, g, seed, null);
  }

  /** A workload whose call carries {@code epilogue} (forward only; null: none). */
  public ConvWorkload(
      Ops device, Ops reference, Pass pass, ConvGeometry g, long seed, Activation epilogue) {
    this.device = device;
    Random r = new Random(seed ^ ShapeKey.of(g).hashCode() ^ pass.ordinal());
    Shape[] in = inputShapes(pass, g);
    float[][] data = new float[in.length][];
    for (int i = 0; i < in.length; i++) {
      data[i] = in[i] == null ? null : random(r, in[i]);
    }
    try {
      this.call = callOn(device, pass, g, in, data, owned, epilogue);
      this.expected = referenceRun(reference, pass, g, in, data, false, epilogue);
      this.magnitude = referenceRun(reference, pass, g, in, data, true, null);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.terms = terms(pass, g);
  }

  /** The device tensors, for a candidate to run on. */
  public ConvCall call() {
    return call;
  }

  /** Poisons the output, runs {@code run}, and returns null when the result agrees, else why. */
  public String check(Runnable run) {
    device.fill(call.out(), Float.NaN);
    run.run();
    return Agreement.check(device.read(call.out()), expected, magnitude, terms);
  }

  /** Runs the pass through the device's public Ops method (its own choice) and checks it. */
  public String checkOps() {
    return check(() -> runOps(device, call));
  }

  @Override
  public void close() {
    owned.forEach(Tensor::close);
    owned.clear();
  }

  /** The input shapes of a pass in ConvCall order (first, second, bias), null where absent. */
  static Shape[] inputShapes(Pass pass, ConvGeometry g) {
    return switch (pass) {
      case CONV_FORWARD ->
          new Shape[] {g.inputShape(), g.weightShape(), g.params().bias() ? g.biasShape() : null};
      case CONV_BACKWARD_INPUT -> new Shape[] {g.outputShape(), g.weightShape(), null};
      case CONV_BACKWARD_FILTER -> new Shape[] {g.inputShape(), g.outputShape(), null};
    };
  }

  /** The shape of a pass's output. */
  static Shape outputShape(Pass pass, ConvGeometry g) {
    return switch (pass) {
      case CONV_FORWARD -> g.outputShape();
      case CONV_BACKWARD_INPUT -> g.inputShape();
      case CONV_BACKWARD_FILTER -> g.weightShape();
    };
  }

  /** The length of each output element's sum. */
  static long terms(Pass pass, ConvGeometry g) {
    long rs = (long) g.params().kernelH() * g.params().kernelW();
    return switch (pass) {
      case CONV_FORWARD -> g.channelsPerGroup() * rs + 1;
      case CONV_BACKWARD_INPUT -> g.filtersPerGroup() * rs;
      case CONV_BACKWARD_FILTER -> (long) g.n() * g.outH() * g.outW();
    };
  }

  private static ConvCall callOn(
      Ops ops,
      Pass pass,
      ConvGeometry g,
      Shape[] in,
      float[][] data,
      List<Tensor> owned,
      Activation epilogue) {
    Tensor[] t = new Tensor[3];
    for (int i = 0; i < 3; i++) {
      if (in[i] != null) {
        t[i] = ops.upload(in[i], data[i]);
        owned.add(t[i]);
      }
    }
    Tensor out = ops.allocate(outputShape(pass, g), DType.FLOAT32);
    owned.add(out);
    return new ConvCall(pass, t[0], t[1], t[2], out, g, epilogue);
  }

  /** The pass on the reference backend, on {@code |data|} when {@code absolute}. */
  static float[] referenceRun(
      Ops reference,
      Pass pass,
      ConvGeometry g,
      Shape[] in,
      float[][] data,
      boolean absolute,
      Activation epilogue) {
    List<Tensor> owned = new ArrayList<>();
    try {
      float[][] d = data;
      if (absolute) {
        d = new float[data.length][];
        for (int i = 0; i < data.length; i++) {
          d[i] = data[i] == null ? null : abs(data[i]);
        }
      }
      ConvCall c = callOn(reference, pass, g, in, d, owned, epilogue);
      runOps(reference, c);
      return reference.read(c.out());
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  /** The pass through the public Ops method (the backend's own choice). */
  public static void runOps(Ops ops, ConvCall c) {
    ConvGeometry g = c.geometry();
    switch (c.pass()) {
      case CONV_FORWARD ->
          ops.convForward(c.first(), c.second(), c.bias(), c.out(), g, c.epilogue());
      case CONV_BACKWARD_INPUT -> ops.convBackwardInput(c.first(), c.second(), c.out(), g);
      case CONV_BACKWARD_FILTER -> ops.convBackwardFilter(c.first(), c.second(), c.out(), g);
    }
  }

  private static float[] abs(float[] a) {
    float[] b = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Math.abs(a[i]);
    }
    return b;
  }

  private static float[] random(Random r, Shape s) {
    float[] a = new float[s.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextFloat() * 2 - 1;
    }
    return a;
  }
}
