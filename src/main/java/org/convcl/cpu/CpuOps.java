package org.convcl.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.convcl.impl.CacheDirectory;
import org.convcl.impl.ChoiceTable;
import org.convcl.impl.ConvCall;
import org.convcl.impl.DeviceKey;
import org.convcl.impl.ImplementationRegistry;
import org.convcl.impl.Overrides;
import org.convcl.impl.Pass;
import org.convcl.ops.Activation;
import org.convcl.ops.AdamConfig;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.ops.Ops;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The plain-Java backend: the fallback where no OpenCL device exists, tested against the reference
 * backend ({@code org.convcl.ref.RefOps}). Each op lives in a small class by family ({@link
 * CpuConv}, {@link CpuPool}, ...) written to be read next to docs/math.md; this class only unwraps
 * tensors. Work is spread over a pool of threads owned by this instance, and every sum is computed
 * by a single thread in a fixed order, so results are identical run to run.
 */
public final class CpuOps extends Ops {
  private final Parallel parallel;
  private final CpuGemm gemm;
  private final RowKernels rows = RowKernels.best();
  private final ImplementationRegistry<CpuOps> implementations;
  private final AtomicLong live = new AtomicLong();

  /** A backend using every available processor. */
  public CpuOps() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /** A backend using {@code threads} worker threads (1 runs everything on the calling thread). */
  public CpuOps(int threads) {
    this.parallel = new Parallel(Require.positive("threads", threads));
    this.gemm = CpuGemm.forMachine(parallel, MicroKernels.best());
    String env = System.getenv(Overrides.ENV);
    this.implementations =
        new ImplementationRegistry<>(
            this,
            deviceKey(),
            new CpuConvPlanner(gemm).implementations(),
            ChoiceTable.load(PROVIDER, CacheDirectory.resolve()),
            Overrides.parse(java.util.List.of(env == null ? "" : env)));
  }

  /** The provider name, and the name of this backend's choice table. */
  static final String PROVIDER = "cpu";

  /**
   * How choice tables key this backend: the processor architecture, the matrix kernel (its SIMD
   * width), the thread count and the JVM.
   */
  private DeviceKey deviceKey() {
    MicroKernel k = gemm.kernel;
    String kernel = k.vectorized() ? "SIMD " + k.simdWidth() + " floats" : "scalar";
    return new DeviceKey(
        PROVIDER,
        System.getProperty("os.arch"),
        kernel,
        "plain Java, " + parallel.threads() + " threads, " + kernel,
        System.getProperty("java.vm.version"));
  }

  @Override
  public java.util.Optional<ImplementationRegistry<?>> implementations() {
    return java.util.Optional.of(implementations);
  }

  /** Runs {@code work} holding the GEMM lock: one GEMM-based call at a time. */
  void runLocked(Runnable work) {
    synchronized (gemm) {
      work.run();
    }
  }

  @Override
  public String name() {
    return "cpu (plain Java, " + parallel.threads() + " threads)";
  }

  /**
   * The JIT compiles this backend's kernels while they run, and until C2 has compiled a SIMD kernel
   * its vectors are objects: LeNet's first step of batch 64 took 1.0-1.5 s against 10-15 ms later.
   * Twenty steps of batch 4 on a copy of the model first took 0.9-1.5 s, after which the first real
   * step took 90-100 ms (docs/cpu.md, "The first epoch"). Once a warm-up has run on this backend
   * the kernels are compiled, and later trainings on it (a second fit, a resumed run) ask for none.
   */
  @Override
  public int warmUpSteps() {
    return warmedUp.get() ? 0 : WARM_UP_STEPS;
  }

  /** See {@link #warmUpSteps}. */
  static final int WARM_UP_STEPS = 20;

  private final AtomicBoolean warmedUp = new AtomicBoolean();

  /**
   * On this thread alone: the warm-up's steps are worth nothing but the compilation they trigger,
   * and C2 compiles on a thread of its own that a second worker would compete with. LeNet's warm-up
   * took 0.91-1.35 s that way against 1.01-1.44 s on both threads, less in each of six alternating
   * pairs (in four alternating convcl train pairs it was less in three, as was epoch 1's time). A
   * warm-up that throws (the copy ran out of memory, say) leaves the next training to ask again.
   */
  @Override
  public void runWarmUp(Runnable warmUp) {
    parallel.serially(warmUp);
    warmedUp.set(true);
  }

  /**
   * One line for {@code convcl devices}: the threads, the SIMD width of the matrix kernel (floats
   * per register) and whether the jdk.incubator.vector module is active.
   */
  public String describe() {
    MicroKernel k = gemm.kernel;
    String simd =
        k.vectorized()
            ? "SIMD " + k.simdWidth() + " floats (" + MicroKernels.MODULE + " active)"
            : "scalar kernel ("
                + MicroKernels.MODULE
                + " not active: start the JVM with"
                + " --add-modules "
                + MicroKernels.MODULE
                + ")";
    return "cpu  plain Java, "
        + parallel.threads()
        + " threads, "
        + simd
        + ", GEMM tile "
        + k.mr()
        + "x"
        + k.nr()
        + ", blocks kc/mc/nc "
        + gemm.blocking.kc()
        + "/"
        + gemm.blocking.mc()
        + "/"
        + gemm.blocking.nc();
  }

  @Override
  public long liveBuffers() {
    return live.get();
  }

  @Override
  protected void doClose() {
    parallel.close();
  }

  void released(CpuTensor t) {
    live.decrementAndGet();
  }

  private static float[] f(Tensor t) {
    return t == null ? null : ((CpuTensor) t).floats();
  }

  private static int[] i(Tensor t) {
    return ((CpuTensor) t).ints();
  }

  // Memory

  @Override
  protected Tensor doAllocate(Shape shape, DType dtype) {
    Tensor t = CpuTensor.allocate(this, shape, dtype); // counted only once it exists
    live.incrementAndGet();
    return t;
  }

  @Override
  protected void doWrite(Tensor dst, float[] data) {
    System.arraycopy(data, 0, f(dst), 0, data.length);
  }

  @Override
  protected void doWriteInts(Tensor dst, int[] data) {
    System.arraycopy(data, 0, i(dst), 0, data.length);
  }

  @Override
  protected float[] doRead(Tensor src) {
    return f(src).clone();
  }

  @Override
  protected int[] doReadInts(Tensor src) {
    return i(src).clone();
  }

  @Override
  protected Tensor doView(Tensor t, Shape shape) {
    return ((CpuTensor) t).view(shape);
  }

  @Override
  protected void doFill(Tensor t, float value) {
    java.util.Arrays.fill(f(t), value);
  }

  @Override
  protected void doCopy(Tensor src, Tensor dst) {
    if (src.dtype() == DType.FLOAT32) {
      System.arraycopy(f(src), 0, f(dst), 0, src.shape().size());
    } else {
      System.arraycopy(i(src), 0, i(dst), 0, src.shape().size());
    }
  }

  @Override
  protected double doSum(Tensor t) {
    double s = 0;
    for (float v : f(t)) {
      s += v;
    }
    return s;
  }

  @Override
  protected void doMultiply(Tensor a, Tensor b, Tensor out) {
    CpuElementwise.multiply(f(a), f(b), f(out));
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
    applyInPlace(
        implementations.run(ConvCall.forward(input, weights, bias, output, g, epilogue)), output);
  }

  @Override
  protected void doConvBackwardInput(
      Tensor gradOutput, Tensor weights, Tensor gradInput, ConvGeometry g) {
    implementations.run(ConvCall.backwardInput(gradOutput, weights, gradInput, g));
  }

  @Override
  protected void doConvBackwardFilter(
      Tensor input, Tensor gradOutput, Tensor gradWeights, ConvGeometry g) {
    implementations.run(ConvCall.backwardFilter(input, gradOutput, gradWeights, g));
  }

  @Override
  protected void doBiasBackward(Tensor gradOutput, Tensor gradBias) {
    Shape s = gradOutput.shape();
    int spatial = s.size() / (s.dim(0) * s.dim(1));
    CpuConv.backwardBias(parallel, f(gradOutput), s.dim(0), s.dim(1), spatial, f(gradBias));
  }

  // Pooling

  @Override
  protected void doMaxPoolForward(Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    CpuPool.maxForward(parallel, f(input), f(output), i(argmax), g);
  }

  @Override
  protected void doMaxPoolBackward(
      Tensor gradOutput,
      Tensor argmax,
      Tensor gradInput,
      PoolGeometry g,
      Activation derivative,
      Tensor output) {
    float[] y = derivative == null ? null : f(output);
    CpuPool.maxBackward(parallel, f(gradOutput), i(argmax), f(gradInput), g, derivative, y);
  }

  @Override
  protected void doAvgPoolForward(Tensor input, Tensor output, PoolGeometry g) {
    CpuPool.avgForward(parallel, f(input), f(output), g);
  }

  @Override
  protected void doAvgPoolBackward(Tensor gradOutput, Tensor gradInput, PoolGeometry g) {
    CpuPool.avgBackward(parallel, f(gradOutput), f(gradInput), g);
  }

  // Convolution fused with the max pool after it

  /**
   * Where the direct kernels are this backend's choice for the forward and the filter gradient of
   * {@code conv} (the choice table's or the fallback's), with no activation or ReLU / leaky ReLU:
   * then the fused ops run them without the convolution's output in memory ({@link
   * DirectConvMaxPool}). LeNet's first layer, training at batch 64: see docs/cpu.md.
   */
  @Override
  public boolean fusesConvMaxPool(ConvGeometry conv, Activation epilogue, PoolGeometry pool) {
    return DirectConvMaxPool.applies(conv, epilogue) && directChosen(conv);
  }

  /** Where {@link PooledFilterGradient} sums over the pool's chosen cells only. */
  @Override
  public boolean pooledFilterGradientIsCheaper(
      ConvGeometry conv, Activation epilogue, PoolGeometry pool) {
    return fusesConvMaxPool(conv, epilogue, pool) && PooledFilterGradient.applies(conv, pool);
  }

  /**
   * Whether the direct kernels are the choice for both passes the fused ops stand for, so that
   * their results are the separate ops' bits (elsewhere the fused ops run the separate ops).
   */
  private boolean directChosen(ConvGeometry g) {
    return choosesDirect(Pass.CONV_FORWARD, g) && choosesDirect(Pass.CONV_BACKWARD_FILTER, g);
  }

  /** The registry refuses a choice that does not apply, so a direct choice implies the plan's. */
  private boolean choosesDirect(Pass pass, ConvGeometry g) {
    return implementations
        .choose(pass, g)
        .implementation()
        .name()
        .equals(DirectConvPlan.IMPLEMENTATION);
  }

  @Override
  protected void doConvMaxPoolForward(
      Tensor input,
      Tensor weights,
      Tensor bias,
      Tensor pooled,
      Tensor argmax,
      ConvGeometry conv,
      Activation epilogue,
      PoolGeometry pool) {
    if (!fusesConvMaxPool(conv, epilogue, pool)) {
      super.doConvMaxPoolForward(input, weights, bias, pooled, argmax, conv, epilogue, pool);
      return;
    }
    runLocked(
        () ->
            DirectConvMaxPool.forward(
                gemm, f(input), f(weights), f(bias), f(pooled), i(argmax), conv, epilogue, pool));
  }

  @Override
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
    if (!directChosen(conv)) {
      super.doConvMaxPoolBackwardFilter(
          input, gradPooled, argmax, pooled, gradWeights, gradBias, conv, derivative, pool);
      return;
    }
    runLocked(
        () ->
            DirectConvMaxPool.backwardFilter(
                gemm,
                f(input),
                f(gradPooled),
                i(argmax),
                derivative == null ? null : f(pooled),
                f(gradWeights),
                f(gradBias),
                conv,
                derivative,
                pool));
  }

  // Activations

  @Override
  protected void doActivationForward(Activation fn, Tensor input, Tensor output) {
    CpuElementwise.forward(parallel, rows, fn, f(input), f(output));
  }

  @Override
  protected void doActivationBackward(
      Activation fn, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) {
    CpuElementwise.backward(parallel, rows, fn, f(input), f(output), f(gradOutput), f(gradInput));
  }

  // Dense

  @Override
  protected void doDenseForward(
      Tensor input, Tensor weights, Tensor bias, Tensor output, Activation epilogue) {
    Shape x = input.shape();
    int o = weights.shape().dim(0);
    Activation fused = GemmEpilogue.fuses(epilogue) ? epilogue : null;
    CpuDense.forward(gemm, f(input), f(weights), f(bias), f(output), x.dim(0), x.dim(1), o, fused);
    applyInPlace(fused == null ? epilogue : null, output);
  }

  @Override
  protected void doDenseBackwardInput(Tensor gradOutput, Tensor weights, Tensor gradInput) {
    Shape w = weights.shape();
    int n = gradOutput.shape().dim(0);
    CpuDense.backwardInput(gemm, f(gradOutput), f(weights), f(gradInput), n, w.dim(1), w.dim(0));
  }

  @Override
  protected void doDenseBackwardWeights(Tensor input, Tensor gradOutput, Tensor gradWeights) {
    Shape x = input.shape();
    int o = gradOutput.shape().dim(1);
    CpuDense.backwardWeights(gemm, f(input), f(gradOutput), f(gradWeights), x.dim(0), x.dim(1), o);
  }

  // Loss and metrics

  @Override
  protected void doSoftmaxForward(Tensor logits, Tensor probs) {
    Shape z = logits.shape();
    CpuLoss.softmax(f(logits), f(probs), z.dim(0), z.dim(1));
  }

  @Override
  protected void doSoftmaxCrossEntropyForward(
      Tensor logits, Tensor labels, Tensor probs, Tensor losses) {
    Shape z = logits.shape();
    CpuLoss.softmaxCrossEntropy(f(logits), i(labels), f(probs), f(losses), z.dim(0), z.dim(1));
  }

  @Override
  protected void doSoftmaxCrossEntropyBackward(
      Tensor probs, Tensor labels, float scale, Tensor gradLogits) {
    Shape p = probs.shape();
    CpuLoss.softmaxCrossEntropyBackward(
        f(probs), i(labels), scale, f(gradLogits), p.dim(0), p.dim(1));
  }

  @Override
  protected void doArgmaxRows(Tensor x, Tensor out) {
    CpuLoss.argmaxRows(f(x), i(out), x.shape().dim(0), x.shape().dim(1));
  }

  // Regularisation and normalisation

  @Override
  protected void doDropoutForward(Tensor input, Tensor output, Tensor mask, float p, long seed) {
    CpuElementwise.dropout(f(input), f(output), f(mask), p, seed);
  }

  private static CpuNorm.Dims normDims(Tensor input) {
    Shape s = input.shape();
    return new CpuNorm.Dims(s.dim(0), s.dim(1), s.size() / (s.dim(0) * s.dim(1)));
  }

  @Override
  protected void doBatchNormForward(
      Tensor input, Tensor output, BatchNormTensors t, BatchNormConfig config, boolean training) {
    CpuNorm.forward(
        parallel,
        f(input),
        f(t.gamma()),
        f(t.beta()),
        f(t.runningMean()),
        f(t.runningVar()),
        f(output),
        f(t.saveMean()),
        f(t.saveInvStd()),
        config,
        training,
        normDims(input));
  }

  @Override
  protected void doBatchNormBackward(
      Tensor input, Tensor gradOutput, Tensor gradInput, BatchNormTensors t) {
    CpuNorm.backward(
        parallel,
        f(input),
        f(gradOutput),
        f(t.gamma()),
        f(t.saveMean()),
        f(t.saveInvStd()),
        f(gradInput),
        f(t.gradGamma()),
        f(t.gradBeta()),
        normDims(input));
  }

  // Parameter updates

  @Override
  protected void doSgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdConfig config) {
    CpuOptim.sgd(parallel, f(param), f(grad), f(velocity), config);
  }

  @Override
  protected void doAdamUpdate(
      Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int t) {
    CpuOptim.adam(parallel, f(param), f(grad), f(m), f(v), config, t);
  }
}
