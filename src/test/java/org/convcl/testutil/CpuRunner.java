package org.convcl.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.convcl.cpu.CpuOps;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.ref.RefOps;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * Runs single ops of a backend (CpuOps by default, or RefOps) on host arrays, for tests that check
 * values. Every output tensor is poisoned with NaN (int outputs with -1) before the op runs, so a
 * cell the op forgets to write shows up as NaN, which {@link ArrayDiff} rejects. Closing releases
 * every tensor, checks that none leaked, and closes the backend.
 */
public final class CpuRunner implements AutoCloseable {
  public final Ops ops;
  private final List<Tensor> made = new ArrayList<>();

  /** A runner on a CpuOps using every processor. */
  public CpuRunner() {
    this(new CpuOps());
  }

  /** A runner on the backend named {@code ref} (RefOps) or {@code cpu} (CpuOps). */
  public static CpuRunner of(String backend) {
    return switch (backend) {
      case "ref" -> new CpuRunner(new RefOps());
      case "cpu" -> new CpuRunner(new CpuOps());
      default -> throw new IllegalArgumentException("backend " + backend);
    };
  }

  /** A runner on {@code ops}, which it closes when it is closed. */
  public CpuRunner(Ops ops) {
    this.ops = ops;
  }

  public Tensor upload(Shape shape, float[] data) {
    return keep(ops.upload(shape, data));
  }

  public Tensor uploadInts(Shape shape, int[] data) {
    return keep(ops.uploadInts(shape, data));
  }

  /** A float tensor full of NaN, to receive an op's output. */
  public Tensor poisoned(Shape shape) {
    Tensor t = keep(ops.allocate(shape, DType.FLOAT32));
    ops.fill(t, Float.NaN);
    return t;
  }

  /** An int tensor full of -1, to receive an op's output. */
  public Tensor poisonedInts(Shape shape) {
    Tensor t = keep(ops.allocate(shape, DType.INT32));
    int[] minusOne = new int[shape.size()];
    java.util.Arrays.fill(minusOne, -1);
    ops.writeInts(t, minusOne);
    return t;
  }

  /** output [N][K][outH][outW]; bias [K] may be null. */
  public float[] convForward(float[] input, float[] weights, float[] bias, ConvGeometry g) {
    Tensor b = bias == null ? null : upload(g.biasShape(), bias);
    Tensor out = poisoned(g.outputShape());
    ops.convForward(upload(g.inputShape(), input), upload(g.weightShape(), weights), b, out, g);
    return ops.read(out);
  }

  /** gradInput [N][C][H][W]. */
  public float[] convBackwardInput(float[] gradOutput, float[] weights, ConvGeometry g) {
    Tensor gradInput = poisoned(g.inputShape());
    ops.convBackwardInput(
        upload(g.outputShape(), gradOutput), upload(g.weightShape(), weights), gradInput, g);
    return ops.read(gradInput);
  }

  /** gradWeights [K][C/groups][R][S]. */
  public float[] convBackwardFilter(float[] input, float[] gradOutput, ConvGeometry g) {
    Tensor gradWeights = poisoned(g.weightShape());
    ops.convBackwardFilter(
        upload(g.inputShape(), input), upload(g.outputShape(), gradOutput), gradWeights, g);
    return ops.read(gradWeights);
  }

  /** gradBias [K] of gradOutput [N][K][...]. */
  public float[] biasBackward(float[] gradOutput, Shape gradOutputShape) {
    Tensor gradBias = poisoned(Shape.of(gradOutputShape.dim(1)));
    ops.biasBackward(upload(gradOutputShape, gradOutput), gradBias);
    return ops.read(gradBias);
  }

  /** Max pooling's output and argmax (position ih*W + iw within each input plane). */
  public record MaxPool(float[] output, int[] argmax) {}

  public MaxPool maxPoolForward(float[] input, PoolGeometry g) {
    Tensor out = poisoned(g.outputShape());
    Tensor arg = poisonedInts(g.outputShape());
    ops.maxPoolForward(upload(g.inputShape(), input), out, arg, g);
    return new MaxPool(ops.read(out), ops.readInts(arg));
  }

  public float[] maxPoolBackward(float[] gradOutput, int[] argmax, PoolGeometry g) {
    return maxPoolBackward(gradOutput, argmax, g, null, null);
  }

  /**
   * The upsample fused with {@code derivative}'s backward, f' read from the pooled {@code output}
   * (both null: the plain upsample).
   */
  public float[] maxPoolBackward(
      float[] gradOutput, int[] argmax, PoolGeometry g, Activation derivative, float[] output) {
    Tensor gradInput = poisoned(g.inputShape());
    Tensor pooled = output == null ? null : upload(g.outputShape(), output);
    ops.maxPoolBackward(
        upload(g.outputShape(), gradOutput),
        uploadInts(g.outputShape(), argmax),
        gradInput,
        g,
        derivative,
        pooled);
    return ops.read(gradInput);
  }

  public float[] avgPoolForward(float[] input, PoolGeometry g) {
    Tensor out = poisoned(g.outputShape());
    ops.avgPoolForward(upload(g.inputShape(), input), out, g);
    return ops.read(out);
  }

  public float[] avgPoolBackward(float[] gradOutput, PoolGeometry g) {
    Tensor gradInput = poisoned(g.inputShape());
    ops.avgPoolBackward(upload(g.outputShape(), gradOutput), gradInput, g);
    return ops.read(gradInput);
  }

  /** output [N][O] of input [N][F], weights [O][F], bias [O] (may be null). */
  public float[] denseForward(float[] input, float[] weights, float[] bias, int n, int f, int o) {
    Tensor out = poisoned(Shape.of(n, o));
    Tensor b = bias == null ? null : upload(Shape.of(o), bias);
    ops.denseForward(upload(Shape.of(n, f), input), upload(Shape.of(o, f), weights), b, out);
    return ops.read(out);
  }

  public float[] denseBackwardInput(float[] gradOutput, float[] weights, int n, int f, int o) {
    Tensor gradInput = poisoned(Shape.of(n, f));
    ops.denseBackwardInput(
        upload(Shape.of(n, o), gradOutput), upload(Shape.of(o, f), weights), gradInput);
    return ops.read(gradInput);
  }

  public float[] denseBackwardWeights(float[] input, float[] gradOutput, int n, int f, int o) {
    Tensor gradWeights = poisoned(Shape.of(o, f));
    ops.denseBackwardWeights(
        upload(Shape.of(n, f), input), upload(Shape.of(n, o), gradOutput), gradWeights);
    return ops.read(gradWeights);
  }

  private Tensor keep(Tensor t) {
    made.add(t);
    return t;
  }

  @Override
  public void close() {
    for (Tensor t : made) {
      t.close();
    }
    assertEquals(0, ops.liveBuffers(), "CpuOps buffers still live after closing every tensor");
    ops.close();
  }
}
