package org.convcl.cl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.convcl.impl.CacheDirectory;
import org.convcl.impl.ChoiceTable;
import org.convcl.impl.ConvCall;
import org.convcl.impl.DeviceKey;
import org.convcl.impl.ImplementationRegistry;
import org.convcl.impl.Overrides;
import org.convcl.ops.Activation;
import org.convcl.ops.AdamConfig;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.ops.KernelProfiler;
import org.convcl.ops.KernelTiming;
import org.convcl.ops.Ops;
import org.convcl.ops.SgdConfig;
import org.convcl.ops.StagedRead;
import org.convcl.ops.StagedWrite;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_mem;

/**
 * The OpenCL backend: every op is a kernel from {@code opencl/} on one device, so a training step
 * stays on the device; host copies happen only in read and write (and the final step of {@code
 * sum}). One instance per device or several on one device: nothing is static. Not thread-safe.
 *
 * <p>Opening one switches JOCL's exceptions on for the whole process ({@code
 * CL.setExceptionsEnabled(true)}, see {@link ClRuntime}): other JOCL code in the same JVM then gets
 * {@code CLException}s instead of error codes.
 */
public final class ClOps extends Ops {
  private final ClRuntime runtime;
  private final ProgramCache programs;
  private final BufferPool pool;
  private final KernelClock clock = new KernelClock();
  private final cl_mem dummy; // bound to optional buffer arguments (bias, velocity) when absent
  private int batchNormGroup; // likewise for batchnorm.cl
  private final ImplementationRegistry<ClOps> implementations;
  private final PoolKernels pooling = new PoolKernels(this);
  private final ElementwiseKernels elementwise = new ElementwiseKernels(this);
  private final LossKernels loss = new LossKernels(this);
  private final NormKernels norm = new NormKernels(this);
  private final Set<PinnedStaging> pinned = Collections.newSetFromMap(new IdentityHashMap<>());

  /** The device {@code opencl:<platform>:<device>}. */
  public ClOps(int platform, int device) {
    this(ClDevices.find(platform, device));
  }

  public static ClOps open(ClDeviceInfo device) {
    return new ClOps(device.platformIndex(), device.deviceIndex());
  }

  private ClOps(ClDevices.Handle handle) {
    this.runtime = new ClRuntime(handle);
    this.programs = new ProgramCache(runtime);
    this.pool = new BufferPool(runtime);
    try {
      this.dummy =
          ClCall.get(
              "clCreateBuffer",
              () -> "the placeholder buffer of " + name(),
              () -> CL.clCreateBuffer(runtime.context(), CL_MEM_READ_WRITE, 4, null, null));
    } catch (RuntimeException e) {
      runtime.close(); // nobody else holds the context and queue yet
      throw e;
    }
    long maxGroup = runtime.info().maxWorkGroupSize();
    this.batchNormGroup = (int) Math.min(64, Long.highestOneBit(maxGroup));
    this.implementations = registry(Overrides.parse(List.of(env(Overrides.ENV))));
  }

  private ImplementationRegistry<ClOps> registry(Overrides overrides) {
    DeviceKey key = runtime.deviceKey();
    ChoiceTable table = ChoiceTable.load(PROVIDER, CacheDirectory.resolve());
    return new ImplementationRegistry<>(this, key, ClImplementations.all(), table, overrides);
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "" : v;
  }

  /** The provider name, and the name of this backend's choice table. */
  static final String PROVIDER = "opencl";

  @Override
  public String name() {
    return runtime.info().spec() + " (" + runtime.info().name() + ")";
  }

  public ClDeviceInfo device() {
    return runtime.info();
  }

  boolean isOpen() {
    return !isClosed();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // For the kernel launchers of this package

  Launch launch(String file, String kernel) {
    return launch(file, optionsFor(file), kernel, kernel);
  }

  /** {@code kernel} of {@code file} built with {@code options}; profiles call it {@code label}. */
  Launch launch(String file, String options, String kernel, String label) {
    return new Launch(runtime, clock, programs.kernel(file, options, kernel), label);
  }

  /**
   * A batchnorm.cl kernel, built with the largest {@code BN_WG} whose group the compiled kernel
   * accepts: the device limit is only an upper bound, a kernel's CL_KERNEL_WORK_GROUP_SIZE can be
   * lower (registers, local memory), so halve and rebuild. (The dense GEMM does the same with its
   * tunable GEMM_TILE, in DenseKernels.)
   */
  Launch batchNormLaunch(String kernel) {
    Launch l = launch("batchnorm.cl", kernel);
    while (batchNormGroup > l.maxGroup() && batchNormGroup > 1) {
      batchNormGroup /= 2;
      l = launch("batchnorm.cl", kernel);
    }
    return l;
  }

  /**
   * Build options: only the tunables, never shapes (see the .cl headers); the host passes the
   * values its launch ranges assume, so the two cannot drift apart.
   */
  private String optionsFor(String file) {
    return switch (file) {
      case "batchnorm.cl" -> "-DBN_WG=" + batchNormGroup;
      case "maxpool.cl" ->
          "-D"
              + PoolKernels.OUTPUTS_PER_ITEM.name()
              + "="
              + PoolKernels.OUTPUTS_PER_ITEM.defaultValue();
      default -> "";
    };
  }

  ClTensor cl(Tensor t) {
    return (ClTensor) t;
  }

  cl_mem dummy() {
    return dummy;
  }

  int batchNormGroup() {
    return batchNormGroup;
  }

  /** A float scratch tensor from the pool; close it after enqueueing its last user. */
  ClTensor temp(Shape shape, Supplier<String> what) {
    return new ClTensor(this, pool.acquire(4L * shape.size(), what), shape, DType.FLOAT32, null);
  }

  void release(ClTensor t) {
    pool.release(t.buffer(), t.bytes());
  }

  PoolKernels pooling() {
    return pooling;
  }

  ProgramCache programs() {
    return programs;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Profiling and implementations

  @Override
  public Optional<KernelProfiler> kernelProfiler() {
    return Optional.of(
        new KernelProfiler() {
          @Override
          public void start() {
            clock.start();
          }

          @Override
          public List<KernelTiming> stop() {
            runtime.finish();
            return clock.stop();
          }
        });
  }

  @Override
  public Optional<ImplementationRegistry<?>> implementations() {
    return Optional.of(implementations);
  }

  /** This backend's implementations, typed (for this package's tests). */
  ImplementationRegistry<ClOps> registry() {
    return implementations;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Memory

  @Override
  protected Tensor doAllocate(Shape shape, DType dtype) {
    long bytes = 4L * shape.size();
    return new ClTensor(
        this, pool.acquire(bytes, () -> "allocate " + dtype + " " + shape), shape, dtype, null);
  }

  @Override
  protected void doWrite(Tensor dst, float[] data) {
    write(cl(dst), Pointer.to(data), "write");
  }

  @Override
  protected void doWriteInts(Tensor dst, int[] data) {
    write(cl(dst), Pointer.to(data), "writeInts");
  }

  private void write(ClTensor t, Pointer data, String op) {
    ClCall.run(
        "clEnqueueWriteBuffer",
        () -> op + " " + t.shape(),
        () ->
            CL.clEnqueueWriteBuffer(
                runtime.queue(), t.buffer(), CL_TRUE, 0, t.bytes(), data, 0, null, null));
  }

  /**
   * From pinned host memory, without waiting ({@link PinnedWrite}); released at the latest here.
   */
  @Override
  protected StagedWrite doStagedWrite(Tensor dst) {
    return new PinnedWrite(runtime, cl(dst), pinned(cl(dst), "staged write into "));
  }

  /** Into pinned host memory, without waiting ({@link PinnedRead}); released at the latest here. */
  @Override
  protected StagedRead doStagedRead(Tensor src) {
    return new PinnedRead(runtime, cl(src), pinned(cl(src), "staged read of "));
  }

  private PinnedStaging pinned(ClTensor t, String what) {
    PinnedStaging p = new PinnedStaging(runtime, t.bytes(), () -> what + t.shape(), pinned::remove);
    pinned.add(p);
    return p;
  }

  @Override
  protected float[] doRead(Tensor src) {
    float[] out = new float[src.shape().size()];
    read(cl(src), Pointer.to(out), "read");
    return out;
  }

  @Override
  protected int[] doReadInts(Tensor src) {
    int[] out = new int[src.shape().size()];
    read(cl(src), Pointer.to(out), "readInts");
    return out;
  }

  private void read(ClTensor t, Pointer out, String op) {
    ClCall.run(
        "clEnqueueReadBuffer",
        () -> op + " " + t.shape(),
        () ->
            CL.clEnqueueReadBuffer(
                runtime.queue(), t.buffer(), CL_TRUE, 0, t.bytes(), out, 0, null, null));
  }

  @Override
  protected Tensor doView(Tensor t, Shape shape) {
    return cl(t).view(shape);
  }

  @Override
  protected void doFill(Tensor t, float value) {
    elementwise.fill(t, value);
  }

  @Override
  protected void doCopy(Tensor src, Tensor dst) {
    elementwise.copy(src, dst);
  }

  @Override
  protected double doSum(Tensor t) {
    return elementwise.sum(t);
  }

  @Override
  protected void doMultiply(Tensor a, Tensor b, Tensor out) {
    elementwise.multiply(a, b, out);
  }

  @Override
  public long liveBuffers() {
    return pool.liveCount();
  }

  @Override
  public void finish() {
    runtime.finish();
  }

  @Override
  public void flush() {
    runtime.flush();
  }

  @Override
  protected void doClose() {
    // Each in its own step: one failing release must not leak the others (the runtime last). The
    // queue is drained first: transfers and kernels still in flight use the buffers released here.
    ReleaseAll.run(
        runtime::finish,
        () -> ReleaseAll.each(new ArrayList<>(pinned), PinnedStaging::close),
        clock::releaseAll,
        programs::close,
        pool::close,
        () -> CL.clReleaseMemObject(dummy),
        runtime::close);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Convolution and pooling

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
    ConvKernels.biasBackward(this, gradOutput, gradBias);
  }

  @Override
  protected void doMaxPoolForward(Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    pooling.maxForward(input, output, argmax, g);
  }

  @Override
  protected void doMaxPoolBackward(
      Tensor gradOutput,
      Tensor argmax,
      Tensor gradInput,
      PoolGeometry g,
      Activation derivative,
      Tensor output) {
    pooling.maxBackward(gradOutput, argmax, gradInput, g, derivative, output);
  }

  @Override
  protected void doAvgPoolForward(Tensor input, Tensor output, PoolGeometry g) {
    pooling.avgForward(input, output, g);
  }

  @Override
  protected void doAvgPoolBackward(Tensor gradOutput, Tensor gradInput, PoolGeometry g) {
    pooling.avgBackward(gradOutput, gradInput, g);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Element-wise, dense, loss

  @Override
  protected void doActivationForward(Activation f, Tensor input, Tensor output) {
    elementwise.activationForward(f, input, output);
  }

  @Override
  protected void doActivationBackward(
      Activation f, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) {
    elementwise.activationBackward(f, input, output, gradOutput, gradInput);
  }

  @Override
  protected void doDenseForward(
      Tensor input, Tensor weights, Tensor bias, Tensor output, Activation epilogue) {
    Shape in = input.shape();
    ConvGeometry g =
        DenseKernels.geometry(in.dim(0), in.dim(1), weights.shape().dim(0), bias != null);
    Activation pending =
        implementations.run(
            ConvCall.forward(
                DenseKernels.pointwise(this, input),
                DenseKernels.pointwise(this, weights),
                bias,
                DenseKernels.pointwise(this, output),
                g,
                epilogue));
    applyInPlace(pending, output);
  }

  @Override
  protected void doDenseBackwardInput(Tensor gradOutput, Tensor weights, Tensor gradInput) {
    Shape w = weights.shape();
    ConvGeometry g = DenseKernels.geometry(gradOutput.shape().dim(0), w.dim(1), w.dim(0), false);
    implementations.run(
        ConvCall.backwardInput(
            DenseKernels.pointwise(this, gradOutput),
            DenseKernels.pointwise(this, weights),
            DenseKernels.pointwise(this, gradInput),
            g));
  }

  @Override
  protected void doDenseBackwardWeights(Tensor input, Tensor gradOutput, Tensor gradWeights) {
    Shape in = input.shape();
    ConvGeometry g = DenseKernels.geometry(in.dim(0), in.dim(1), gradOutput.shape().dim(1), false);
    implementations.run(
        ConvCall.backwardFilter(
            DenseKernels.pointwise(this, input),
            DenseKernels.pointwise(this, gradOutput),
            DenseKernels.pointwise(this, gradWeights),
            g));
  }

  @Override
  protected void doSoftmaxForward(Tensor logits, Tensor probs) {
    loss.softmax(logits, probs);
  }

  @Override
  protected void doSoftmaxCrossEntropyForward(
      Tensor logits, Tensor labels, Tensor probs, Tensor losses) {
    loss.softmaxForward(logits, labels, probs, losses);
  }

  @Override
  protected void doSoftmaxCrossEntropyBackward(
      Tensor probs, Tensor labels, float scale, Tensor gradLogits) {
    loss.softmaxBackward(probs, labels, scale, gradLogits);
  }

  @Override
  protected void doArgmaxRows(Tensor x, Tensor out) {
    loss.argmaxRows(x, out);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Regularisation, normalisation, updates

  @Override
  protected void doDropoutForward(Tensor input, Tensor output, Tensor mask, float p, long seed) {
    elementwise.dropout(input, output, mask, p, seed);
  }

  @Override
  protected void doBatchNormForward(
      Tensor input, Tensor output, BatchNormTensors t, BatchNormConfig config, boolean training) {
    norm.forward(input, output, t, config, training);
  }

  @Override
  protected void doBatchNormBackward(
      Tensor input, Tensor gradOutput, Tensor gradInput, BatchNormTensors t) {
    norm.backward(input, gradOutput, gradInput, t);
  }

  @Override
  protected void doSgdUpdate(Tensor param, Tensor grad, Tensor velocity, SgdConfig config) {
    elementwise.sgd(param, grad, velocity, config);
  }

  @Override
  protected void doAdamUpdate(
      Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int t) {
    elementwise.adam(param, grad, m, v, config, t);
  }
}
