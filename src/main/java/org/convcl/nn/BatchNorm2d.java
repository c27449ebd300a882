package org.convcl.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.ops.HeapMemory;
import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * Batch normalisation per channel over {@code [N][C][H][W]} (or {@code [N][C]}): learnable gamma
 * and beta {@code [C]}, running mean and variance {@code [C]} as checkpointed state. Training
 * normalises with the batch statistics, evaluation with the running ones.
 */
public final class BatchNorm2d implements Layer {
  private final BatchNormConfig config;
  private BatchNormTensors channels; // null until built and after close
  private Tensor input;
  private final Slot output = new Slot();
  private final Slot gradInput = new Slot();

  public BatchNorm2d(BatchNormConfig config) {
    Require.that(config != null, "batch norm config", null, "must be given");
    this.config = config;
  }

  /** Momentum and epsilon. */
  public BatchNormConfig config() {
    return config;
  }

  @Override
  public String spec() {
    return "bn";
  }

  @Override
  public Shape build(Ops ops, Shape inputItem, WeightInit init, Random rng) {
    Shape c = Shape.of(channels(inputItem));
    channels =
        new BatchNormTensors(
            ops.upload(c, filled(c.size(), 1f)),
            ops.upload(c, filled(c.size(), 0f)),
            ops.upload(c, filled(c.size(), 0f)),
            ops.upload(c, filled(c.size(), 1f)),
            ops.allocate(c, DType.FLOAT32),
            ops.allocate(c, DType.FLOAT32),
            ops.allocate(c, DType.FLOAT32),
            ops.allocate(c, DType.FLOAT32));
    return inputItem;
  }

  @Override
  public Shape outputItem(Shape inputItem) {
    channels(inputItem);
    return inputItem;
  }

  /** gamma and beta, one each per channel. */
  @Override
  public long paramCount(Shape inputItem) {
    return 2L * channels(inputItem);
  }

  private static int channels(Shape inputItem) {
    Require.that(
        inputItem.rank() == 3 || inputItem.rank() == 1,
        "bn input",
        inputItem,
        "must be an image CxHxW or a feature vector F");
    return inputItem.dim(0);
  }

  private float[] filled(int n, float v) {
    float[] a = HeapMemory.floats(n, () -> spec() + " channel state");
    Arrays.fill(a, v);
    return a;
  }

  @Override
  public Tensor forward(Ops ops, Tensor input, boolean training) {
    this.input = input;
    Tensor out = output.ensure(ops, input.shape());
    ops.batchNormForward(input, out, channels, config, training);
    return out;
  }

  @Override
  public Tensor backward(Ops ops, Tensor gradOutput) {
    Tensor gi = gradInput.ensure(ops, input.shape());
    ops.batchNormBackward(input, gradOutput, gi, channels);
    return gi;
  }

  @Override
  public List<Param> params() {
    return List.of(
        new Param("gamma", channels.gamma(), channels.gradGamma()),
        new Param("beta", channels.beta(), channels.gradBeta()));
  }

  @Override
  public List<Param> buffers() {
    return List.of(
        new Param("runningMean", channels.runningMean(), null),
        new Param("runningVar", channels.runningVar(), null));
  }

  @Override
  public long flops(Shape inputItem) {
    return 4L * inputItem.size();
  }

  @Override
  public void close() {
    if (channels != null) {
      Closer.closeAll(channels.all());
      channels = null;
    }
    output.close();
    gradInput.close();
  }
}
