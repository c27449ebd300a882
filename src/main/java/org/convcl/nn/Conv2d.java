package org.convcl.nn;

import java.util.List;
import java.util.Random;
import org.convcl.ops.Activation;
import org.convcl.ops.HeapMemory;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * A 2-D convolution (cross-correlation) with K filters: input {@code [N][C][H][W]}, weights {@code
 * [K][C/groups][R][S]}, bias {@code [K]}, output {@code [N][K][outH][outW]}. With a max pool fused
 * in ({@link #fuseMaxPool}), forward returns the pooled output and backward takes its gradient.
 */
public final class Conv2d extends SlottedLayer implements ActivationFusing {
  private final int filters;
  private final ConvParams params;
  private ConvGeometry geometry;
  private Tensor weights;
  private Tensor bias;
  private Tensor gradWeights;
  private Tensor gradBias;
  private Tensor input;
  private Activation epilogue;
  private MaxPool2d pool;

  public Conv2d(int filters, ConvParams params) {
    this.filters = Require.positive("conv filters K", filters);
    Require.that(params != null, "conv params", null, "must be given");
    Require.that(
        params.padding().isSymmetric(),
        "conv padding",
        params.padding(),
        "must be the same above and below, left and right");
    this.params = params;
  }

  /** The number of filters K (output channels). */
  public int filters() {
    return filters;
  }

  /** Kernel, stride, padding, dilation, groups and bias. */
  public ConvParams convParams() {
    return params;
  }

  @Override
  public String spec() {
    String s = "conv" + params.kernelH() + "x" + params.kernelW() + "x" + filters;
    s += pair("s", params.strideH(), params.strideW(), 1);
    s += pair("p", params.padding().top(), params.padding().left(), 0);
    s += pair("d", params.dilationH(), params.dilationW(), 1);
    return s + (params.bias() ? "" : "nobias");
  }

  static String pair(String key, int a, int b, int neutral) {
    if (a == neutral && b == neutral) {
      return "";
    }
    return key + a + (a == b ? "" : "x" + b);
  }

  @Override
  public Shape build(Ops ops, Shape inputItem, WeightInit init, Random rng) {
    geometry = geometryFor(inputItem);
    int fanIn = geometry.channelsPerGroup() * params.kernelH() * params.kernelW();
    int fanOut = geometry.filtersPerGroup() * params.kernelH() * params.kernelW();
    Shape ws = geometry.weightShape();
    weights = ops.upload(ws, init.sample(rng, ws.size(), fanIn, fanOut, () -> spec() + " weights"));
    gradWeights = ops.allocate(ws, weights.dtype());
    if (params.bias()) {
      bias = ops.upload(geometry.biasShape(), HeapMemory.floats(filters, () -> spec() + " bias"));
      gradBias = ops.allocate(geometry.biasShape(), bias.dtype());
    }
    return Shapes.item(geometry.outputShape());
  }

  @Override
  public Shape outputItem(Shape inputItem) {
    return Shapes.item(geometryFor(inputItem).outputShape());
  }

  @Override
  public long paramCount(Shape inputItem) {
    ConvGeometry g = geometryFor(inputItem);
    return (long) g.weightShape().size() + (params.bias() ? g.k() : 0);
  }

  /** The geometry this layer runs for {@code batch} items of {@code inputItem} (for the tuner). */
  public ConvGeometry geometry(Shape inputItem, int batch) {
    return geometryFor(inputItem).withBatch(batch);
  }

  private ConvGeometry geometryFor(Shape inputItem) {
    Require.that(inputItem.rank() == 3, spec() + " input", inputItem, "must be an image CxHxW");
    return ConvGeometry.of(Shapes.batch(1, inputItem), filters, params);
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    ConvGeometry g = geometry.withBatch(input.shape().batch());
    this.input = input;
    if (pool != null) {
      PoolGeometry pg = pool.geometry(g.n());
      Tensor pooled = pool.pooledFor(ops, pg);
      ops.convMaxPoolForward(
          input, weights, bias, pooled, pool.argmaxFor(ops, pg), g, epilogue, pg);
      return pooled;
    }
    Tensor out = output.ensure(ops, g.outputShape());
    ops.convForward(input, weights, bias, out, g, epilogue);
    return out;
  }

  /**
   * Called by {@link Sequential#build} for the max pool that follows this layer (after its fused
   * activation, if any): where {@code ops} {@link Ops#fusesConvMaxPool fuses} the two, forward
   * computes the pooled output and argmax in one op ({@link Ops#convMaxPoolForward}) and backward
   * takes the pooled gradient. The first layer's filter gradient is then fused too ({@link
   * Ops#convMaxPoolBackwardFilter}); a layer that needs its input gradient first upsamples the
   * pooled gradient (the pool's own backward op) for convBackwardInput, and takes its filter
   * gradient from the fused op where {@link Ops#pooledFilterGradientIsCheaper} says so, else from
   * the upsampled gradient. Returns whether it fused.
   */
  boolean fuseMaxPool(Ops ops, MaxPool2d next) {
    if (!ops.fusesConvMaxPool(geometry, epilogue, next.geometry(1))) {
      return false;
    }
    pool = next;
    next.fusedIntoConv();
    return true;
  }

  @Override
  public void fuseActivation(Activation f) {
    epilogue = f;
  }

  @Override
  public Tensor backward(Ops ops, Tensor gradOutput) {
    return pool == null ? backwardUnpooled(ops, gradOutput) : backwardPooled(ops, gradOutput);
  }

  /** Backward from the gradient of the fused max pool's output. */
  private Tensor backwardPooled(Ops ops, Tensor gradPooled) {
    PoolGeometry pg = pool.geometry(gradPooled.shape().batch());
    ConvGeometry g = geometry.withBatch(pg.n());
    if (!needGradInput()) {
      filterGradientFromPooled(ops, gradPooled, g, pg);
      return null;
    }
    // The input gradient needs the unpooled gradient as a tensor: the pool's own upsample. The
    // filter gradient comes from the pooled one where the backend says that is cheaper still.
    Tensor unpooled = pool.upsampled(ops, gradPooled);
    if (!ops.pooledFilterGradientIsCheaper(g, epilogue, pg)) {
      return backwardUnpooled(ops, unpooled);
    }
    filterGradientFromPooled(ops, gradPooled, g, pg);
    Tensor gi = gradInput.ensure(ops, g.inputShape());
    ops.convBackwardInput(unpooled, weights, gi, g);
    return gi;
  }

  private void filterGradientFromPooled(
      Ops ops, Tensor gradPooled, ConvGeometry g, PoolGeometry pg) {
    ops.convMaxPoolBackwardFilter(
        input,
        gradPooled,
        pool.argmaxFor(ops, pg),
        pool.pooledFor(ops, pg),
        gradWeights,
        gradBias,
        g,
        pool.fusedDerivative(),
        pg);
  }

  private Tensor backwardUnpooled(Ops ops, Tensor gradOutput) {
    ConvGeometry g = geometry.withBatch(gradOutput.shape().batch());
    ops.convBackwardFilter(input, gradOutput, gradWeights, g);
    if (bias != null) {
      ops.biasBackward(gradOutput, gradBias);
    }
    if (!needGradInput()) {
      return null;
    }
    Tensor gi = gradInput.ensure(ops, g.inputShape());
    ops.convBackwardInput(gradOutput, weights, gi, g);
    return gi;
  }

  @Override
  public List<Param> params() {
    if (bias == null) {
      return List.of(new Param("weights", weights, gradWeights));
    }
    return List.of(new Param("weights", weights, gradWeights), new Param("bias", bias, gradBias));
  }

  @Override
  public long flops(Shape inputItem) {
    return ConvGeometry.of(Shapes.batch(1, inputItem), filters, params).flops();
  }

  @Override
  public boolean hasWeights() {
    return true;
  }

  /** A square convolution with stride 1 and symmetric padding {@code pad}. */
  public static Conv2d of(int kernel, int filters, int pad) {
    return new Conv2d(filters, ConvParams.of(kernel).withPadding(Padding.of(pad)));
  }

  @Override
  public void close() {
    Closer.closeAll(weights, bias, gradWeights, gradBias);
    weights = bias = gradWeights = gradBias = null;
    super.close();
  }
}
