package org.convcl.nn;

import java.util.Random;
import org.convcl.ops.Ops;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * What every pooling layer shares: the window parameters, the geometry fixed at build time and
 * re-batched per call, the output and input-gradient buffers, and the spec {@code <kind><suffix>}.
 * A subclass supplies only the two ops: output {@code [N][C][outH][outW]} from input {@code
 * [N][C][H][W]}, and the gradient back.
 */
abstract class Pool2d extends SlottedLayer {
  private final String kind;
  private final PoolParams params;
  private PoolGeometry geometry;

  Pool2d(String kind, PoolParams params) {
    Require.that(params != null, "pool params", null, "must be given");
    this.kind = kind;
    this.params = params;
  }

  /** Writes the pooled {@code output} of {@code input}. */
  abstract void pool(Ops ops, Tensor input, Tensor output, PoolGeometry g);

  /** Writes {@code gradInput} from {@code gradOutput} (after {@link #pool} on the same batch). */
  abstract void unpool(Ops ops, Tensor gradOutput, Tensor gradInput, PoolGeometry g);

  /** Window, stride, padding, ceil mode and the divisor rule. */
  public PoolParams poolParams() {
    return params;
  }

  @Override
  public String spec() {
    return kind + PoolSpec.suffix(params);
  }

  @Override
  public Shape build(Ops ops, Shape inputItem, WeightInit init, Random rng) {
    geometry = geometryFor(inputItem);
    return Shapes.item(geometry.outputShape());
  }

  @Override
  public Shape outputItem(Shape inputItem) {
    return Shapes.item(geometryFor(inputItem).outputShape());
  }

  /** The geometry fixed at build time, for {@code batch} items. */
  final PoolGeometry geometry(int batch) {
    return geometry.withBatch(batch);
  }

  private PoolGeometry geometryFor(Shape inputItem) {
    Require.that(inputItem.rank() == 3, spec() + " input", inputItem, "must be an image CxHxW");
    return PoolGeometry.of(Shapes.batch(1, inputItem), params);
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    PoolGeometry g = geometry.withBatch(input.shape().batch());
    Tensor out = output.ensure(ops, g.outputShape());
    pool(ops, input, out, g);
    return out;
  }

  @Override
  public Tensor backward(Ops ops, Tensor gradOutput) {
    return needGradInput() ? upsampled(ops, gradOutput) : null;
  }

  /**
   * The gradient of this pooling's input from {@code gradOutput}'s, in this layer's gradient slot
   * (also the fused convolution's unpooled gradient, {@link Conv2d#fuseMaxPool}).
   */
  Tensor upsampled(Ops ops, Tensor gradOutput) {
    PoolGeometry g = geometry.withBatch(gradOutput.shape().batch());
    Tensor gi = gradInput.ensure(ops, g.inputShape());
    unpool(ops, gradOutput, gi, g);
    return gi;
  }

  @Override
  public long flops(Shape inputItem) {
    PoolGeometry g = PoolGeometry.of(Shapes.batch(1, inputItem), params);
    return (long) g.outputShape().size() * params.kernelH() * params.kernelW();
  }
}
