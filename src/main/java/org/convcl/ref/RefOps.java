package org.convcl.ref;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.convcl.ops.Activation;
import org.convcl.ops.AdamConfig;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.ops.Ops;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The reference backend, the oracle of every differential test: each op reads its float tensors as
 * doubles, runs the naive double-precision loops of its family class ({@link RefConv}, {@link
 * RefPool}, {@link RefDense}, {@link RefLoss}, {@link RefNorm}, {@link RefOptim}, {@link
 * RefElementwise}) and stores the results rounded to float. One thread, no blocking: slow, and
 * meant to be obviously right rather than fast.
 */
public final class RefOps extends Ops {
  private final AtomicLong live = new AtomicLong();

  public RefOps() {}

  @Override
  public String name() {
    return "ref (naive double-precision loops)";
  }

  @Override
  public long liveBuffers() {
    return live.get();
  }

  @Override
  protected void doClose() {}

  void released() {
    live.decrementAndGet();
  }

  private static RefTensor t(Tensor t) {
    return (RefTensor) t;
  }

  /** The tensor's values as doubles, or null for an absent (optional) tensor. */
  private static double[] d(Tensor t) {
    return t == null ? null : t(t).doubles();
  }

  private static int[] ints(Tensor t) {
    return t(t).ints();
  }

  private static void store(Tensor t, double[] values) {
    t(t).store(values);
  }

  /** N: the first dimension. */
  private static int batch(Tensor t) {
    return t.shape().dim(0);
  }

  // Memory

  @Override
  protected Tensor doAllocate(Shape shape, DType dtype) {
    Tensor t = RefTensor.allocate(this, shape, dtype);
    live.incrementAndGet();
    return t;
  }

  @Override
  protected void doWrite(Tensor dst, float[] data) {
    System.arraycopy(data, 0, t(dst).floats(), 0, data.length);
  }

  @Override
  protected void doWriteInts(Tensor dst, int[] data) {
    System.arraycopy(data, 0, ints(dst), 0, data.length);
  }

  @Override
  protected float[] doRead(Tensor src) {
    return t(src).floats().clone();
  }

  @Override
  protected int[] doReadInts(Tensor src) {
    return ints(src).clone();
  }

  @Override
  protected Tensor doView(Tensor t, Shape shape) {
    return t(t).view(shape);
  }

  @Override
  protected void doFill(Tensor t, float value) {
    Arrays.fill(t(t).floats(), value);
  }

  @Override
  protected void doCopy(Tensor src, Tensor dst) {
    if (src.dtype() == DType.FLOAT32) {
      System.arraycopy(t(src).floats(), 0, t(dst).floats(), 0, src.shape().size());
    } else {
      System.arraycopy(ints(src), 0, ints(dst), 0, src.shape().size());
    }
  }

  @Override
  protected double doSum(Tensor t) {
    double s = 0;
    for (double v : d(t)) {
      s += v;
    }
    return s;
  }

  @Override
  protected void doMultiply(Tensor a, Tensor b, Tensor out) {
    store(out, RefElementwise.multiply(d(a), d(b)));
  }

  // Convolution

  @Override
  protected void doConvForward(
      Tensor input,
      Tensor weights,
      Tensor bias,
      Tensor output,
      ConvGeometry g,
      Activation epilogue) {
    store(output, activated(epilogue, RefConv.forward(d(input), d(weights), d(bias), g)));
  }

  /** {@code f(y)} element by element, in double like every reference op; {@code f} null: y. */
  private static double[] activated(Activation f, double[] y) {
    return f == null ? y : RefElementwise.forward(f, y);
  }

  @Override
  protected void doConvBackwardInput(
      Tensor gradOutput, Tensor weights, Tensor gradInput, ConvGeometry g) {
    store(gradInput, RefConv.backwardInput(d(gradOutput), d(weights), g));
  }

  @Override
  protected void doConvBackwardFilter(
      Tensor input, Tensor gradOutput, Tensor gradWeights, ConvGeometry g) {
    store(gradWeights, RefConv.backwardFilter(d(input), d(gradOutput), g));
  }

  @Override
  protected void doBiasBackward(Tensor gradOutput, Tensor gradBias) {
    store(
        gradBias, RefConv.backwardBias(d(gradOutput), batch(gradOutput), gradBias.shape().size()));
  }

  // Pooling

  @Override
  protected void doMaxPoolForward(Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    RefPool.MaxPooled pooled = RefPool.maxForward(d(input), g);
    store(output, pooled.output());
    System.arraycopy(pooled.argmax(), 0, ints(argmax), 0, pooled.argmax().length);
  }

  @Override
  protected void doMaxPoolBackward(
      Tensor gradOutput,
      Tensor argmax,
      Tensor gradInput,
      PoolGeometry g,
      Activation derivative,
      Tensor output) {
    double[] y = derivative == null ? null : d(output);
    store(gradInput, RefPool.maxBackward(d(gradOutput), ints(argmax), g, derivative, y));
  }

  @Override
  protected void doAvgPoolForward(Tensor input, Tensor output, PoolGeometry g) {
    store(output, RefPool.avgForward(d(input), g));
  }

  @Override
  protected void doAvgPoolBackward(Tensor gradOutput, Tensor gradInput, PoolGeometry g) {
    store(gradInput, RefPool.avgBackward(d(gradOutput), g));
  }

  // Activations

  @Override
  protected void doActivationForward(Activation f, Tensor input, Tensor output) {
    store(output, RefElementwise.forward(f, d(input)));
  }

  @Override
  protected void doActivationBackward(
      Activation f, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) {
    store(gradInput, RefElementwise.backward(f, d(input), d(output), d(gradOutput)));
  }

  // Dense

  @Override
  protected void doDenseForward(
      Tensor input, Tensor weights, Tensor bias, Tensor output, Activation epilogue) {
    int f = input.shape().dim(1);
    double[] y = RefDense.forward(d(input), d(weights), d(bias), batch(input), f);
    store(output, activated(epilogue, y));
  }

  @Override
  protected void doDenseBackwardInput(Tensor gradOutput, Tensor weights, Tensor gradInput) {
    int f = weights.shape().dim(1);
    store(gradInput, RefDense.backwardInput(d(gradOutput), d(weights), batch(gradOutput), f));
  }

  @Override
  protected void doDenseBackwardWeights(Tensor input, Tensor gradOutput, Tensor gradWeights) {
    int f = input.shape().dim(1);
    store(gradWeights, RefDense.backwardWeights(d(input), d(gradOutput), batch(input), f));
  }

  // Loss and metrics

  @Override
  protected void doSoftmaxForward(Tensor logits, Tensor probs) {
    store(probs, RefLoss.softmax(d(logits), batch(logits)));
  }

  @Override
  protected void doSoftmaxCrossEntropyForward(
      Tensor logits, Tensor labels, Tensor probs, Tensor losses) {
    RefLoss.SoftmaxLoss result = RefLoss.softmaxCrossEntropy(d(logits), ints(labels));
    store(probs, result.probs());
    store(losses, result.losses());
  }

  @Override
  protected void doSoftmaxCrossEntropyBackward(
      Tensor probs, Tensor labels, float scale, Tensor gradLogits) {
    store(gradLogits, RefLoss.softmaxCrossEntropyBackward(d(probs), ints(labels), scale));
  }

  @Override
  protected void doArgmaxRows(Tensor x, Tensor out) {
    int[] best = RefLoss.argmaxRows(d(x), batch(x));
    System.arraycopy(best, 0, ints(out), 0, best.length);
  }

  // Regularisation and normalisation

  @Override
  protected void doDropoutForward(Tensor input, Tensor output, Tensor mask, float p, long seed) {
    double[] m = RefElementwise.dropoutMask(input.shape().size(), p, seed);
    store(mask, m);
    store(output, RefElementwise.multiply(d(input), m));
  }

  @Override
  protected void doBatchNormForward(
      Tensor input, Tensor output, BatchNormTensors t, BatchNormConfig config, boolean training) {
    double[] runningMean = d(t.runningMean());
    double[] runningVar = d(t.runningVar());
    if (!training) {
      store(
          output,
          RefNorm.inferenceForward(
              d(input), d(t.gamma()), d(t.beta()), runningMean, runningVar, config, batch(input)));
      return;
    }
    RefNorm.Normalized r =
        RefNorm.trainingForward(
            d(input), d(t.gamma()), d(t.beta()), runningMean, runningVar, config, batch(input));
    store(output, r.output());
    store(t.saveMean(), r.mean());
    store(t.saveInvStd(), r.invStd());
    store(t.runningMean(), runningMean);
    store(t.runningVar(), runningVar);
  }

  @Override
  protected void doBatchNormBackward(
      Tensor input, Tensor gradOutput, Tensor gradInput, BatchNormTensors t) {
    RefNorm.Gradients r =
        RefNorm.backward(
            d(input),
            d(gradOutput),
            d(t.gamma()),
            d(t.saveMean()),
            d(t.saveInvStd()),
            batch(input));
    store(gradInput, r.gradInput());
    store(t.gradGamma(), r.gradGamma());
    store(t.gradBeta(), r.gradBeta());
  }

  // Parameter updates

  @Override
  protected void doSgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdConfig config) {
    double[] w = d(param);
    double[] v = d(velocity);
    RefOptim.sgd(w, d(grad), v, config);
    store(param, w);
    if (velocity != null) {
      store(velocity, v);
    }
  }

  @Override
  protected void doAdamUpdate(
      Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int t) {
    double[] w = d(param);
    double[] mm = d(m);
    double[] vv = d(v);
    RefOptim.adam(w, d(grad), mm, vv, config, t);
    store(param, w);
    store(m, mm);
    store(v, vv);
  }
}
