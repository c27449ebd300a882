package org.convcl.ops;

import static org.convcl.ops.OpsChecks.in;
import static org.convcl.ops.OpsChecks.noAlias;

import java.util.Optional;
import org.convcl.impl.ImplementationRegistry;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The operation SPI: everything a training step needs, implemented by each backend (found through
 * {@link BackendProvider}s: the plain-Java {@code cpu}, the OpenCL {@code opencl}, the
 * double-precision reference {@code ref}). Every public method here is final: it checks shapes,
 * types, ownership and aliasing identically for both backends (the rules of each op family live in
 * a package-private {@code *Checks} class, e.g. {@code ConvChecks}, on top of {@code OpsChecks}),
 * then calls the backend's {@code do...} method, which may trust its arguments.
 *
 * <p>Conventions (see docs/nomenclature.md): image tensors are {@code [N][C][H][W]}; weights {@code
 * [K][C/groups][R][S]}; dense activations {@code [N][F]}; dense weights {@code [O][F]}. Ops write
 * their output tensors completely and never accumulate into them unless they say so. Outputs must
 * not alias inputs.
 */
public abstract class Ops implements AutoCloseable {
  private final OpsChecks check = new OpsChecks(this);

  /** Set once by {@link #close()}; every public op checks it first, for both backends alike. */
  private volatile boolean closed;

  /** A short name for logs and reports, e.g. {@code cpu} or {@code opencl:0:0 (pthread-...)}. */
  public abstract String name();

  // ---------------------------------------------------------------------------------------------------------------
  // Memory

  /** A new tensor; its contents are undefined until written or filled. */
  public final Tensor allocate(Shape shape, DType dtype) {
    check.open("allocate");
    Require.that(shape != null, "shape", null, "must be given");
    Require.that(dtype != null, "dtype", null, "must be given");
    return doAllocate(shape, dtype);
  }

  /** A new float tensor holding a copy of {@code data}. */
  public final Tensor upload(Shape shape, float[] data) {
    Tensor t = allocate(shape, DType.FLOAT32);
    try {
      write(t, data);
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  /** A new int tensor holding a copy of {@code data}. */
  public final Tensor uploadInts(Shape shape, int[] data) {
    Tensor t = allocate(shape, DType.INT32);
    try {
      writeInts(t, data);
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  public final void write(Tensor dst, float[] data) {
    check.floats("write", "destination", dst);
    Require.that(data != null, "write: data", null, "must be given");
    OpsChecks.length("write", dst, data.length);
    doWrite(dst, data);
  }

  public final void writeInts(Tensor dst, int[] data) {
    check.ints("writeInts", "destination", dst);
    Require.that(data != null, "writeInts: data", null, "must be given");
    OpsChecks.length("writeInts", dst, data.length);
    doWriteInts(dst, data);
  }

  /**
   * Repeated writes into {@code dst} that return without waiting for the device ({@link
   * StagedWrite}): for a batch uploaded while the step before it still runs.
   */
  public final StagedWrite stagedWrite(Tensor dst) {
    check.owned("stagedWrite", "destination", dst);
    return new CheckedStagedWrite(check, dst, doStagedWrite(dst));
  }

  /**
   * Repeated reads of {@code src} whose request does not wait ({@link StagedRead}): for a value
   * taken at the end of a step without a wait of its own.
   */
  public final StagedRead stagedRead(Tensor src) {
    check.owned("stagedRead", "source", src);
    return new CheckedStagedRead(check, src, doStagedRead(src));
  }

  /** A host copy of a float tensor; this is a synchronisation point. */
  public final float[] read(Tensor src) {
    check.floats("read", "source", src);
    return doRead(src);
  }

  /** A host copy of an int tensor; this is a synchronisation point. */
  public final int[] readInts(Tensor src) {
    check.ints("readInts", "source", src);
    return doReadInts(src);
  }

  /**
   * The same memory seen with another shape of the same size (flatten, unflatten). The view does
   * not own the memory: closing it does nothing, and it must not outlive {@code t}.
   */
  public final Tensor view(Tensor t, Shape shape) {
    check.owned("view", "tensor", t);
    Require.that(shape != null, "view: shape", null, "must be given");
    Require.that(
        shape.size() == t.shape().size(),
        "view shape",
        shape,
        "must have as many elements as " + t.shape() + " (" + t.shape().size() + ")");
    return doView(t, shape);
  }

  public final void fill(Tensor t, float value) {
    check.floats("fill", "tensor", t);
    doFill(t, value);
  }

  /** {@code dst = src}, element for element; both of one shape and type. */
  public final void copy(Tensor src, Tensor dst) {
    check.owned("copy", "source", src);
    check.owned("copy", "destination", dst);
    Require.sameShape("copy", "destination", src.shape(), dst.shape());
    Require.that(
        src.dtype() == dst.dtype(),
        "copy destination dtype",
        dst.dtype(),
        "must be " + src.dtype());
    noAlias("copy", "destination", dst, in("source", src));
    doCopy(src, dst);
  }

  /**
   * The sum of all elements, accumulated in double on the host side of the reduction; a
   * synchronisation point.
   */
  public final double sum(Tensor t) {
    check.floats("sum", "tensor", t);
    return doSum(t);
  }

  /** {@code out = a * b} element-wise (dropout's backward pass multiplies by its mask). */
  public final void multiply(Tensor a, Tensor b, Tensor out) {
    check.floats("multiply", "a", a);
    check.floats("multiply", "b", b);
    check.floats("multiply", "out", out);
    Require.sameShape("multiply", "b", a.shape(), b.shape());
    Require.sameShape("multiply", "out", a.shape(), out.shape());
    noAlias("multiply", "out", out, in("a", a), in("b", b));
    doMultiply(a, b, out);
  }

  /**
   * Number of device (or host) buffers this backend has allocated and not yet released: for leak
   * tests.
   */
  public abstract long liveBuffers();

  /** Blocks until all work enqueued so far has finished (a no-op on the CPU backend). */
  public void finish() {}

  /**
   * Hands everything enqueued so far to the device without waiting for it, so it runs while the
   * host does other work (a driver may otherwise hold commands back until the next wait). Nothing
   * to do on the CPU backends.
   */
  public void flush() {}

  /**
   * How many throwaway training steps a trainer should run on a small copy of its model before the
   * first real one: a backend whose kernels the JVM compiles while they run (the CPU backend's)
   * makes its first full-size steps slow, and a few tiny steps get its kernels compiled for less.
   * 0, the default, for backends whose kernels are compiled before they run.
   */
  public int warmUpSteps() {
    return 0;
  }

  /**
   * Runs {@code warmUp}, the {@link #warmUpSteps} throwaway steps, as this backend prefers; the
   * default runs it as it is. The CPU backend runs it on the calling thread alone, leaving the
   * other cores to the JVM's compiler threads, whose compilations are what the warm-up is for.
   */
  public void runWarmUp(Runnable warmUp) {
    warmUp.run();
  }

  /**
   * The device clock, for backends that have one (OpenCL profiling events): the bench, the tuner
   * and {@code --profile} read kernel times through it. Empty on backends without a device clock.
   */
  public Optional<KernelProfiler> kernelProfiler() {
    return Optional.empty();
  }

  /**
   * The implementations this backend chooses among for the passes that have several ({@link
   * org.convcl.impl.Pass}), with its choice table: what the tuner, the contract suite and {@code
   * --impl} work on. Empty on a backend with one implementation per op.
   */
  public Optional<ImplementationRegistry<?>> implementations() {
    return Optional.empty();
  }

  /**
   * Releases everything this backend owns; tensors it made become unusable, and every later op
   * (allocate included) throws {@link IllegalStateException} on both backends alike. Closing twice
   * does nothing.
   */
  @Override
  public final void close() {
    if (closed) {
      return;
    }
    closed = true;
    doClose();
  }

  /** Whether {@link #close()} was called. */
  protected final boolean isClosed() {
    return closed;
  }

  /** The backend's release, called once by {@link #close()}. */
  protected abstract void doClose();

  // ---------------------------------------------------------------------------------------------------------------
  // Convolution

  /**
   * Cross-correlation: {@code output[n][k][oh][ow] = bias[k] + sum_{c in group(k), r, s}
   * input[n][c][ih][iw] * weights[k][c'][r][s]} with {@code ih = oh*strideH - padTop +
   * r*dilationH}, {@code iw = ow*strideW - padLeft + s*dilationW}; positions outside the input read
   * 0. {@code bias} may be null.
   */
  public final void convForward(
      Tensor input, Tensor weights, Tensor bias, Tensor output, ConvGeometry g) {
    convForward(input, weights, bias, output, g, null);
  }

  /**
   * {@link #convForward(Tensor, Tensor, Tensor, Tensor, ConvGeometry)} followed by {@code output =
   * epilogue(output)} element by element ({@code epilogue} null: nothing). A backend applies it
   * while the output tile is still in registers or cache where its kernel can, and as a separate
   * in-place pass otherwise; either way the values are those of the two ops in sequence.
   */
  public final void convForward(
      Tensor input,
      Tensor weights,
      Tensor bias,
      Tensor output,
      ConvGeometry g,
      Activation epilogue) {
    ConvChecks.convForward(check, input, weights, bias, output, g);
    doConvForward(input, weights, bias, output, g, epilogue);
  }

  /**
   * The gradient of the loss with respect to the input: the full convolution of {@code gradOutput}
   * (spread with stride-1 zeros between its entries) with the 180-degree-rotated filter, cropped by
   * the padding. Input cells no window reads get exactly 0.
   */
  public final void convBackwardInput(
      Tensor gradOutput, Tensor weights, Tensor gradInput, ConvGeometry g) {
    ConvChecks.convBackwardInput(check, gradOutput, weights, gradInput, g);
    doConvBackwardInput(gradOutput, weights, gradInput, g);
  }

  /**
   * The gradient with respect to the weights: the correlation of the input with {@code gradOutput},
   * {@code gradWeights[k][c'][r][s] = sum_{n, oh, ow} gradOutput[n][k][oh][ow] *
   * input[n][c][ih][iw]}.
   */
  public final void convBackwardFilter(
      Tensor input, Tensor gradOutput, Tensor gradWeights, ConvGeometry g) {
    ConvChecks.convBackwardFilter(check, input, gradOutput, gradWeights, g);
    doConvBackwardFilter(input, gradOutput, gradWeights, g);
  }

  /**
   * The bias gradient: {@code gradBias[k] = sum over every dimension but the second of
   * gradOutput[n][k][...]}. Serves convolution ({@code [N][K][H][W]}) and dense layers ({@code
   * [N][K]}).
   */
  public final void biasBackward(Tensor gradOutput, Tensor gradBias) {
    ConvChecks.biasBackward(check, gradOutput, gradBias);
    doBiasBackward(gradOutput, gradBias);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Pooling

  /**
   * Max pooling: each output is the maximum of its window; {@code argmax} (int32, the output's
   * shape) receives the position {@code ih*W + iw} of that maximum within its input plane. Ties go
   * to the first maximum in row-major window order; padded cells never win.
   */
  public final void maxPoolForward(Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    PoolChecks.maxPoolForward(check, input, output, argmax, g);
    doMaxPoolForward(input, output, argmax, g);
  }

  /**
   * The upsample: every {@code gradOutput} entry is routed to the input cell its window selected;
   * where windows overlap, the contributions add up. All other cells of {@code gradInput} are 0.
   *
   * <p>{@code argmax} must be the tensor {@link #maxPoolForward} filled with the same geometry. The
   * CPU backend checks that every value lies in its own window and throws an {@link
   * IllegalArgumentException} naming the index and value otherwise; the OpenCL backend does not
   * read the tensor back to check, but never writes outside {@code gradInput} (an out-of-plane
   * value is dropped).
   */
  public final void maxPoolBackward(
      Tensor gradOutput, Tensor argmax, Tensor gradInput, PoolGeometry g) {
    maxPoolBackward(gradOutput, argmax, gradInput, g, null, null);
  }

  /**
   * {@link #maxPoolBackward(Tensor, Tensor, Tensor, PoolGeometry)} fused with the backward pass of
   * the activation that fed the pool: {@code gradInput[argmax[o]] += gradOutput[o] *
   * derivative'(output[o])}. At its argmax cell the activated input is the pooled {@code output}
   * value, so f' is read from the sign of {@code output} (the forward output of this pooling);
   * every other cell is 0 either way. Only functions that are {@link
   * Activation#derivableFromOutput()} are accepted. {@code derivative} null: the plain upsample
   * ({@code output} is then not read and may be null).
   */
  public final void maxPoolBackward(
      Tensor gradOutput,
      Tensor argmax,
      Tensor gradInput,
      PoolGeometry g,
      Activation derivative,
      Tensor output) {
    PoolChecks.maxPoolBackward(check, gradOutput, argmax, gradInput, g, derivative, output);
    doMaxPoolBackward(gradOutput, argmax, gradInput, g, derivative, output);
  }

  /**
   * Average pooling. The divisor is the window's area clipped to the padded input when {@code
   * countIncludePad}, else the number of real input cells it covers.
   */
  public final void avgPoolForward(Tensor input, Tensor output, PoolGeometry g) {
    PoolChecks.avgPoolForward(check, input, output, g);
    doAvgPoolForward(input, output, g);
  }

  /**
   * Spreads each {@code gradOutput} entry evenly (by the forward divisor) over the cells of its
   * window.
   */
  public final void avgPoolBackward(Tensor gradOutput, Tensor gradInput, PoolGeometry g) {
    PoolChecks.avgPoolBackward(check, gradOutput, gradInput, g);
    doAvgPoolBackward(gradOutput, gradInput, g);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Convolution fused with the max pool after it

  /**
   * Whether this backend computes {@link #convMaxPoolForward} and {@link
   * #convMaxPoolBackwardFilter} for {@code conv}, {@code epilogue} and {@code pool} in one pass,
   * faster than the ops they stand for. Layers use the fused ops only where this says so. The
   * default is false; the fused ops still compute there, as the separate ops on temporary tensors.
   */
  public boolean fusesConvMaxPool(ConvGeometry conv, Activation epilogue, PoolGeometry pool) {
    return false;
  }

  /**
   * Whether {@link #convMaxPoolBackwardFilter} computes the filter and bias gradients of {@code
   * conv} behind {@code pool} for less than convBackwardFilter and biasBackward on the upsampled
   * gradient, even where that gradient exists anyway (a layer that needs its input gradient
   * upsamples the pooled one for convBackwardInput). Layers ask it only for a convolution and pool
   * that {@link #fusesConvMaxPool}; the default is false.
   */
  public boolean pooledFilterGradientIsCheaper(
      ConvGeometry conv, Activation epilogue, PoolGeometry pool) {
    return false;
  }

  /**
   * {@link #convForward(Tensor, Tensor, Tensor, Tensor, ConvGeometry, Activation)} into a
   * convolution output {@code y} that is never returned, then {@link #maxPoolForward}{@code (y,
   * pooled, argmax, pool)}: the same values, argmax and ties. {@code pool}'s input shape must be
   * {@code conv}'s output shape; {@code epilogue} and {@code bias} may be null.
   */
  public final void convMaxPoolForward(
      Tensor input,
      Tensor weights,
      Tensor bias,
      Tensor pooled,
      Tensor argmax,
      ConvGeometry conv,
      Activation epilogue,
      PoolGeometry pool) {
    ConvChecks.convMaxPoolForward(check, input, weights, bias, pooled, argmax, conv, pool);
    doConvMaxPoolForward(input, weights, bias, pooled, argmax, conv, epilogue, pool);
  }

  /**
   * The weight and bias gradients of {@link #convMaxPoolForward} from the gradient of its pooled
   * output: {@link #maxPoolBackward(Tensor, Tensor, Tensor, PoolGeometry, Activation, Tensor)}
   * {@code (gradPooled, argmax, dy, pool, derivative, pooled)} into a gradient {@code dy} of the
   * convolution's output that is never returned, then {@link #convBackwardFilter}{@code (input, dy,
   * gradWeights, conv)} and, with {@code gradBias}, {@link #biasBackward}{@code (dy, gradBias)}.
   * The same values up to rounding: a backend may add the products {@code gradPooled * f'} one by
   * one for the bias instead of the upsampled cells, and sum the filter gradient over the cells the
   * pool chose only (in another order; a product of a zero gradient and an infinite or NaN input,
   * NaN in the separate ops, is then never formed). {@code derivative} null: none ({@code pooled}
   * may then be null); {@code gradBias} may be null.
   */
  public final void convMaxPoolBackwardFilter(
      Tensor input,
      Tensor gradPooled,
      Tensor argmax,
      Tensor pooled,
      Tensor gradWeights,
      Tensor gradBias,
      ConvGeometry conv,
      Activation derivative,
      PoolGeometry pool) {
    ConvChecks.convMaxPoolBackwardFilter(
        check, input, gradPooled, argmax, pooled, gradWeights, gradBias, conv, derivative, pool);
    doConvMaxPoolBackwardFilter(
        input, gradPooled, argmax, pooled, gradWeights, gradBias, conv, derivative, pool);
  }

  /** The separate ops in turn, on a temporary convolution output. */
  protected void doConvMaxPoolForward(
      Tensor input,
      Tensor weights,
      Tensor bias,
      Tensor pooled,
      Tensor argmax,
      ConvGeometry conv,
      Activation epilogue,
      PoolGeometry pool) {
    try (Tensor y = allocate(conv.outputShape(), DType.FLOAT32)) {
      doConvForward(input, weights, bias, y, conv, epilogue);
      doMaxPoolForward(y, pooled, argmax, pool);
    }
  }

  /** The separate ops in turn, on a temporary gradient of the convolution output. */
  protected void doConvMaxPoolBackwardFilter(
      Tensor input,
      Tensor gradPooled,
      Tensor argmax,
      Tensor pooled,
      Tensor gradWeights,
      Tensor gradBias,
      ConvGeometry conv,
      Activation derivative,
      PoolGeometry pool) {
    try (Tensor dy = allocate(conv.outputShape(), DType.FLOAT32)) {
      doMaxPoolBackward(
          gradPooled, argmax, dy, pool, derivative, derivative == null ? null : pooled);
      doConvBackwardFilter(input, dy, gradWeights, conv);
      if (gradBias != null) {
        doBiasBackward(dy, gradBias);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Element-wise activations

  /** {@code output = f(input)}. */
  public final void activationForward(Activation f, Tensor input, Tensor output) {
    LayerChecks.activationForward(check, f, input, output);
    doActivationForward(f, input, output);
  }

  /**
   * {@code gradInput = gradOutput * f'(input)}, where f' may be computed from the forward {@code
   * output}.
   */
  public final void activationBackward(
      Activation f, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) {
    LayerChecks.activationBackward(check, f, input, output, gradOutput, gradInput);
    doActivationBackward(f, input, output, gradOutput, gradInput);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Dense (fully connected)

  /**
   * {@code output[n][o] = bias[o] + sum_f input[n][f] * weights[o][f]}; {@code bias} may be null.
   */
  public final void denseForward(Tensor input, Tensor weights, Tensor bias, Tensor output) {
    denseForward(input, weights, bias, output, null);
  }

  /**
   * {@link #denseForward(Tensor, Tensor, Tensor, Tensor)} followed by {@code output =
   * epilogue(output)}, fused where the backend can (see {@link #convForward(Tensor, Tensor, Tensor,
   * Tensor, ConvGeometry, Activation)}).
   */
  public final void denseForward(
      Tensor input, Tensor weights, Tensor bias, Tensor output, Activation epilogue) {
    LayerChecks.denseForward(check, input, weights, bias, output);
    doDenseForward(input, weights, bias, output, epilogue);
  }

  /** {@code gradInput[n][f] = sum_o gradOutput[n][o] * weights[o][f]}. */
  public final void denseBackwardInput(Tensor gradOutput, Tensor weights, Tensor gradInput) {
    LayerChecks.denseBackwardInput(check, gradOutput, weights, gradInput);
    doDenseBackwardInput(gradOutput, weights, gradInput);
  }

  /** {@code gradWeights[o][f] = sum_n gradOutput[n][o] * input[n][f]}. */
  public final void denseBackwardWeights(Tensor input, Tensor gradOutput, Tensor gradWeights) {
    LayerChecks.denseBackwardWeights(check, input, gradOutput, gradWeights);
    doDenseBackwardWeights(input, gradOutput, gradWeights);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Loss and metrics

  /**
   * The softmax alone, for inference: {@code probs[n][j] = exp(z_j - m) / sum_i exp(z_i - m)} with
   * {@code m = max_i z_i}, row by row over {@code [N][K]}. Subtracting the row maximum keeps every
   * exponent at most 0, so large logits never overflow. The same row code as {@link
   * #softmaxCrossEntropyForward}, without labels or losses.
   */
  public final void softmaxForward(Tensor logits, Tensor probs) {
    LossChecks.softmaxForward(check, logits, probs);
    doSoftmaxForward(logits, probs);
  }

  /**
   * Softmax and cross-entropy fused: {@code probs[n][j] = exp(z_j - m) / sum_i exp(z_i - m)} with
   * {@code m = max_i z_i}, and {@code losses[n] = log(sum_i exp(z_i - m)) + m - z[label_n]}. Labels
   * are int32 {@code [N]} in {@code [0, K)}; an out-of-range label gives a NaN loss for that row,
   * never a memory access out of bounds.
   */
  public final void softmaxCrossEntropyForward(
      Tensor logits, Tensor labels, Tensor probs, Tensor losses) {
    LossChecks.softmaxCrossEntropyForward(check, logits, labels, probs, losses);
    doSoftmaxCrossEntropyForward(logits, labels, probs, losses);
  }

  /**
   * {@code gradLogits[n][j] = scale * (probs[n][j] - [j == label_n])}; scale is usually 1/N (mean
   * loss).
   */
  public final void softmaxCrossEntropyBackward(
      Tensor probs, Tensor labels, float scale, Tensor gradLogits) {
    LossChecks.softmaxCrossEntropyBackward(check, probs, labels, scale, gradLogits);
    doSoftmaxCrossEntropyBackward(probs, labels, scale, gradLogits);
  }

  /** {@code out[n] = argmax_j x[n][j]} (first maximum on ties); int32 {@code [N]}. */
  public final void argmaxRows(Tensor x, Tensor out) {
    LossChecks.argmaxRows(check, x, out);
    doArgmaxRows(x, out);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Regularisation and normalisation

  /**
   * Inverted dropout: element i is kept when {@code CounterRandom.uniform(seed, i) >= p}; {@code
   * mask} receives {@code 1/(1-p)} for kept and 0 for dropped elements, and {@code output = input *
   * mask}.
   */
  public final void dropoutForward(Tensor input, Tensor output, Tensor mask, float p, long seed) {
    NormChecks.dropoutForward(check, input, output, mask, p, seed);
    doDropoutForward(input, output, mask, p, seed);
  }

  /**
   * Batch normalisation per channel (dimension 1) over all other dimensions. Training: normalises
   * by the batch mean and biased variance, writes them ({@code saveMean}, {@code saveInvStd =
   * 1/sqrt(var + eps)}) for the backward pass, and updates the running statistics. Inference: uses
   * the running statistics; the save tensors may be null. See {@link BatchNormTensors} for which
   * per-channel tensor is read or written.
   */
  public final void batchNormForward(
      Tensor input, Tensor output, BatchNormTensors t, BatchNormConfig config, boolean training) {
    NormChecks.batchNormForward(check, input, output, t, config, training);
    doBatchNormForward(input, output, t, config, training);
  }

  /**
   * The backward pass of training-mode batch normalisation: with {@code xhat = (x - mean) * invStd}
   * and M values per channel, {@code gradBeta = sum dy}, {@code gradGamma = sum dy * xhat}, {@code
   * gradInput = gamma * invStd / M * (M * dy - gradBeta - xhat * gradGamma)}.
   */
  public final void batchNormBackward(
      Tensor input, Tensor gradOutput, Tensor gradInput, BatchNormTensors t) {
    NormChecks.batchNormBackward(check, input, gradOutput, gradInput, t);
    doBatchNormBackward(input, gradOutput, gradInput, t);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Parameter updates (on the device, so a training step never leaves it)

  /**
   * One SGD step in place; {@code velocity} may be null only when momentum is 0. See {@link
   * SgdConfig}.
   */
  public final void sgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdConfig config) {
    UpdateChecks.sgdUpdate(check, param, grad, velocity, config);
    doSgdUpdate(param, grad, velocity, config);
  }

  /** One Adam step in place at step {@code t >= 1}. See {@link AdamConfig}. */
  public final void adamUpdate(
      Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int t) {
    UpdateChecks.adamUpdate(check, param, grad, m, v, config, t);
    doAdamUpdate(param, grad, m, v, config, t);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The backend's part: arguments are already checked.

  protected abstract Tensor doAllocate(Shape shape, DType dtype);

  protected abstract void doWrite(Tensor dst, float[] data);

  protected abstract void doWriteInts(Tensor dst, int[] data);

  /**
   * A backend's staged writes into {@code dst}. This default writes at once, which is already
   * asynchronous enough where the tensor's memory is the host's (the CPU backends): the data is
   * there when the write returns.
   */
  protected StagedWrite doStagedWrite(Tensor dst) {
    return new StagedWrite() {
      @Override
      public void write(float[] data) {
        doWrite(dst, data);
      }

      @Override
      public void writeInts(int[] data) {
        doWriteInts(dst, data);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * A backend's staged reads of {@code src}. This default reads at the request, which costs no wait
   * where the tensor's memory is the host's (the CPU backends).
   */
  protected StagedRead doStagedRead(Tensor src) {
    return new StagedRead() {
      private float[] floats;
      private int[] ints;

      @Override
      public void request() {
        if (src.dtype() == DType.INT32) {
          ints = doReadInts(src);
        } else {
          floats = doRead(src);
        }
      }

      @Override
      public float[] floats() {
        return floats;
      }

      @Override
      public int[] ints() {
        return ints;
      }

      @Override
      public void close() {}
    };
  }

  protected abstract float[] doRead(Tensor src);

  protected abstract int[] doReadInts(Tensor src);

  protected abstract Tensor doView(Tensor t, Shape shape);

  protected abstract void doFill(Tensor t, float value);

  protected abstract void doCopy(Tensor src, Tensor dst);

  protected abstract double doSum(Tensor t);

  protected abstract void doMultiply(Tensor a, Tensor b, Tensor out);

  /**
   * Applies an epilogue that the implementation which ran did not fuse ({@code pending}, null:
   * none) to {@code output} in place, as one more element-wise pass: backends' activations read
   * each element before writing it, so input and output may be the same tensor here (the public
   * {@link #activationForward} refuses that aliasing only to catch mistakes).
   */
  protected final void applyInPlace(Activation pending, Tensor output) {
    if (pending != null) {
      doActivationForward(pending, output, output);
    }
  }

  /**
   * {@code epilogue} may be null; see {@link #convForward(Tensor, Tensor, Tensor, Tensor,
   * ConvGeometry, Activation)}.
   */
  protected abstract void doConvForward(
      Tensor input,
      Tensor weights,
      Tensor bias,
      Tensor output,
      ConvGeometry g,
      Activation epilogue);

  protected abstract void doConvBackwardInput(
      Tensor gradOutput, Tensor weights, Tensor gradInput, ConvGeometry g);

  protected abstract void doConvBackwardFilter(
      Tensor input, Tensor gradOutput, Tensor gradWeights, ConvGeometry g);

  protected abstract void doBiasBackward(Tensor gradOutput, Tensor gradBias);

  protected abstract void doMaxPoolForward(
      Tensor input, Tensor output, Tensor argmax, PoolGeometry g);

  /** {@code derivative} may be null (then {@code output} is too, or is not read). */
  protected abstract void doMaxPoolBackward(
      Tensor gradOutput,
      Tensor argmax,
      Tensor gradInput,
      PoolGeometry g,
      Activation derivative,
      Tensor output);

  protected abstract void doAvgPoolForward(Tensor input, Tensor output, PoolGeometry g);

  protected abstract void doAvgPoolBackward(Tensor gradOutput, Tensor gradInput, PoolGeometry g);

  protected abstract void doActivationForward(Activation f, Tensor input, Tensor output);

  protected abstract void doActivationBackward(
      Activation f, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput);

  /** {@code epilogue} may be null. */
  protected abstract void doDenseForward(
      Tensor input, Tensor weights, Tensor bias, Tensor output, Activation epilogue);

  protected abstract void doDenseBackwardInput(Tensor gradOutput, Tensor weights, Tensor gradInput);

  protected abstract void doDenseBackwardWeights(
      Tensor input, Tensor gradOutput, Tensor gradWeights);

  protected abstract void doSoftmaxForward(Tensor logits, Tensor probs);

  protected abstract void doSoftmaxCrossEntropyForward(
      Tensor logits, Tensor labels, Tensor probs, Tensor losses);

  protected abstract void doSoftmaxCrossEntropyBackward(
      Tensor probs, Tensor labels, float scale, Tensor gradLogits);

  protected abstract void doArgmaxRows(Tensor x, Tensor out);

  protected abstract void doDropoutForward(
      Tensor input, Tensor output, Tensor mask, float p, long seed);

  protected abstract void doBatchNormForward(
      Tensor input, Tensor output, BatchNormTensors t, BatchNormConfig config, boolean training);

  protected abstract void doBatchNormBackward(
      Tensor input, Tensor gradOutput, Tensor gradInput, BatchNormTensors t);

  protected abstract void doSgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdConfig config);

  protected abstract void doAdamUpdate(
      Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int t);
}
