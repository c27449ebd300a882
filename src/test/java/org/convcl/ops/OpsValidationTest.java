package org.convcl.ops;

import java.util.stream.Stream;
import org.convcl.cpu.CpuOps;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Expect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every argument check of the Ops SPI, exercised through CpuOps: each bad call must throw an
 * IllegalArgumentException whose message names the op, the parameter and the value (a shape, a
 * dtype, a number) that was wrong. One table row per rule.
 */
class OpsValidationTest extends OpsRuleTable {
  private final Ops other = new CpuOps(1);

  // conv: input 2x3x5x5, 4 filters of 3x3, stride 1, no padding -> output 2x4x3x3
  private final ConvGeometry conv = ConvGeometry.of(2, 3, 5, 5, 4, ConvParams.of(3));
  private final PoolGeometry pool = PoolGeometry.of(2, 3, 4, 4, PoolParams.of(2, 2));

  @AfterAll
  void closeOther() {
    other.close();
  }

  private final Tensor x = f(2, 3, 5, 5);
  private final Tensor w = f(4, 3, 3, 3);
  private final Tensor b = f(4);
  private final Tensor y = f(2, 4, 3, 3);
  private final Tensor px = f(2, 3, 4, 4);
  private final Tensor py = f(2, 3, 2, 2);
  private final Tensor arg = i(2, 3, 2, 2);
  private final Tensor m23 = f(2, 3);
  private final Tensor c3 = f(3);
  private final SgdConfig momentum = new SgdConfig(0.1f, 0.9f, false, 0f);

  /** Convolution and bias gradient. */
  Stream<Arguments> convRules() {
    return Stream.of(
        rule(
            "conv input shape",
            () -> ops.convForward(f(2, 2, 5, 5), w, b, y, conv),
            "convForward",
            "input",
            "2x2x5x5",
            "2x3x5x5"),
        rule(
            "conv weights shape",
            () -> ops.convForward(x, f(4, 3, 2, 3), b, y, conv),
            "convForward",
            "weights",
            "4x3x2x3"),
        rule(
            "conv bias shape",
            () -> ops.convForward(x, w, f(5), y, conv),
            "convForward",
            "bias",
            "5"),
        rule(
            "conv output shape",
            () -> ops.convForward(x, w, b, f(2, 4, 4, 4), conv),
            "convForward",
            "output",
            "2x4x4x4",
            "2x4x3x3"),
        rule(
            "conv input dtype",
            () -> ops.convForward(i(2, 3, 5, 5), w, b, y, conv),
            "convForward",
            "input dtype",
            "INT32"),
        rule(
            "convBackwardInput gradOutput shape",
            () -> ops.convBackwardInput(f(2, 4, 3, 2), w, x, conv),
            "convBackwardInput",
            "gradOutput",
            "2x4x3x2"),
        rule(
            "convBackwardInput gradInput shape",
            () -> ops.convBackwardInput(y, w, f(1, 3, 5, 5), conv),
            "convBackwardInput",
            "gradInput",
            "1x3x5x5"),
        rule(
            "convBackwardFilter gradWeights shape",
            () -> ops.convBackwardFilter(x, y, f(4, 3, 3), conv),
            "convBackwardFilter",
            "gradWeights",
            "4x3x3"),
        rule(
            "convBackwardFilter input of another backend",
            () ->
                ops.convBackwardFilter(
                    other.allocate(conv.inputShape(), DType.FLOAT32), y, w, conv),
            "convBackwardFilter",
            "input",
            "another backend"),
        rule(
            "null tensor",
            () -> ops.convForward(null, w, b, y, conv),
            "convForward",
            "input",
            "null"),
        rule(
            "biasBackward rank 1",
            () -> ops.biasBackward(f(4), b),
            "biasBackward: gradOutput has shape 4 (rank 1)",
            "rank must be at least 2"),
        rule(
            "biasBackward gradBias shape",
            () -> ops.biasBackward(y, f(3)),
            "biasBackward",
            "gradBias",
            "3",
            "4"));
  }

  /**
   * A valid argmax for {@code pool} (each 2x2/2 window's top-left cell: 0, 2, 8, 10 per plane) with
   * entry {@code index} replaced by {@code value}.
   */
  private Tensor argmaxWith(int index, int value) {
    int[] a = new int[24];
    for (int o = 0; o < a.length; o++) {
      int oh = (o % 4) / 2;
      int ow = o % 2;
      a[o] = 2 * oh * 4 + 2 * ow;
    }
    a[index] = value;
    return ops.uploadInts(pool.outputShape(), a);
  }

  /** Max and average pooling. */
  Stream<Arguments> poolRules() {
    return Stream.of(
        rule(
            "maxPool argmax dtype",
            () -> ops.maxPoolForward(px, py, f(2, 3, 2, 2), pool),
            "maxPoolForward",
            "argmax dtype",
            "FLOAT32",
            "INT32"),
        rule(
            "maxPool output shape",
            () -> ops.maxPoolForward(px, f(2, 3, 3, 3), arg, pool),
            "maxPoolForward",
            "output",
            "2x3x3x3"),
        rule(
            "maxPoolBackward argmax shape",
            () -> ops.maxPoolBackward(py, i(2, 3, 2, 1), px, pool),
            "maxPoolBackward",
            "argmax",
            "2x3x2x1"),
        rule(
            "maxPoolBackward argmax beyond the plane",
            () -> ops.maxPoolBackward(py, argmaxWith(0, 99), px, pool),
            "maxPoolBackward",
            "argmax[0] = 99",
            "not in window 0"),
        rule(
            "maxPoolBackward negative argmax",
            () -> ops.maxPoolBackward(py, argmaxWith(5, -5), px, pool),
            "argmax[5] = -5",
            "not in window 5"),
        rule(
            "maxPoolBackward argmax in the plane but another window",
            () -> ops.maxPoolBackward(py, argmaxWith(1, 0), px, pool),
            "argmax[1] = 0",
            "not in window 1",
            "maxPoolForward"),
        rule(
            "avgPool input shape",
            () -> ops.avgPoolForward(f(2, 3, 4, 5), py, pool),
            "avgPoolForward",
            "input",
            "2x3x4x5"),
        rule(
            "avgPoolBackward gradInput shape",
            () -> ops.avgPoolBackward(py, f(2, 3, 2, 2), pool),
            "avgPoolBackward",
            "gradInput",
            "2x3x2x2"));
  }

  /** Activations and dense layers. */
  Stream<Arguments> layerRules() {
    return Stream.of(
        rule(
            "activation output shape",
            () -> ops.activationForward(Activation.RELU, m23, f(3, 2)),
            "activationForward",
            "output",
            "3x2"),
        rule(
            "activationBackward gradOutput shape",
            () -> ops.activationBackward(Activation.TANH, m23, m23, f(2, 4), m23),
            "activationBackward",
            "gradOutput",
            "2x4"),
        rule(
            "dense weights columns",
            () -> ops.denseForward(m23, f(4, 2), null, f(2, 4)),
            "denseForward: weights",
            "4x2",
            "3 columns"),
        rule(
            "dense input rank",
            () -> ops.denseForward(f(2, 3, 1), f(4, 3), null, f(2, 4)),
            "denseForward: input",
            "2x3x1",
            "rank 2"),
        rule(
            "dense bias shape",
            () -> ops.denseForward(m23, f(4, 3), f(3), f(2, 4)),
            "denseForward",
            "bias",
            "3"),
        rule(
            "denseBackwardInput weights rows",
            () -> ops.denseBackwardInput(f(2, 4), f(5, 3), m23),
            "denseBackwardInput: weights",
            "5x3",
            "4 rows"),
        rule(
            "denseBackwardWeights gradOutput rows",
            () -> ops.denseBackwardWeights(m23, f(3, 4), f(4, 3)),
            "denseBackwardWeights: gradOutput",
            "3x4",
            "2 rows"));
  }

  /** Softmax, cross-entropy and argmax. */
  Stream<Arguments> lossRules() {
    return Stream.of(
        rule(
            "softmaxForward probs shape",
            () -> ops.softmaxForward(m23, f(3, 2)),
            "softmaxForward",
            "probs",
            "3x2"),
        rule(
            "softmaxForward logits rank",
            () -> ops.softmaxForward(f(2, 3, 1), f(2, 3)),
            "softmaxForward",
            "logits",
            "2x3x1"),
        rule(
            "softmax labels dtype",
            () -> ops.softmaxCrossEntropyForward(m23, f(2), f(2, 3), f(2)),
            "softmaxCrossEntropyForward",
            "labels dtype",
            "FLOAT32"),
        rule(
            "softmax labels shape",
            () -> ops.softmaxCrossEntropyForward(m23, i(3), f(2, 3), f(2)),
            "softmaxCrossEntropyForward",
            "labels",
            "3"),
        rule(
            "softmax backward gradLogits shape",
            () -> ops.softmaxCrossEntropyBackward(m23, i(2), 0.5f, f(3, 2)),
            "softmaxCrossEntropyBackward",
            "gradLogits",
            "3x2"),
        rule(
            "argmaxRows out dtype",
            () -> ops.argmaxRows(m23, f(2)),
            "argmaxRows",
            "out dtype",
            "FLOAT32"));
  }

  /** Dropout and batch normalisation. */
  Stream<Arguments> normRules() {
    return Stream.of(
        rule(
            "dropout p = 1",
            () -> ops.dropoutForward(m23, f(2, 3), f(2, 3), 1f, 7),
            "dropout probability",
            "1.0"),
        rule(
            "dropout p < 0",
            () -> ops.dropoutForward(m23, f(2, 3), f(2, 3), -0.1f, 7),
            "dropout probability",
            "-0.1"),
        rule(
            "dropout mask shape",
            () -> ops.dropoutForward(m23, f(2, 3), f(3, 2), 0.5f, 7),
            "dropoutForward",
            "mask",
            "3x2"),
        rule(
            "batchNorm input rank",
            () ->
                ops.batchNormForward(
                    f(2, 3, 4),
                    f(2, 3, 4),
                    BatchNormTensors.forForward(c3, c3, c3, c3, c3, c3),
                    BatchNormConfig.DEFAULT,
                    true),
            "batchNormForward",
            "input shape",
            "2x3x4"),
        rule(
            "batchNorm one value per channel",
            () ->
                ops.batchNormForward(
                    f(1, 3),
                    f(1, 3),
                    BatchNormTensors.forForward(c3, c3, c3, c3, c3, c3),
                    BatchNormConfig.DEFAULT,
                    true),
            "values per channel",
            "= 1"),
        rule(
            "batchNorm gamma shape",
            () ->
                ops.batchNormForward(
                    m23,
                    m23,
                    BatchNormTensors.forForward(f(2), c3, c3, c3, c3, c3),
                    BatchNormConfig.DEFAULT,
                    false),
            "batchNormForward",
            "gamma",
            "2"),
        rule(
            "batchNormBackward gradGamma shape",
            () ->
                ops.batchNormBackward(
                    m23, m23, m23, BatchNormTensors.forBackward(c3, c3, c3, f(4), c3)),
            "batchNormBackward",
            "gradGamma",
            "4"));
  }

  /** SGD and Adam steps. */
  Stream<Arguments> updateRules() {
    return Stream.of(
        rule(
            "sgd velocity missing with momentum",
            () -> ops.sgdUpdate(c3, c3, null, momentum),
            "sgdUpdate",
            "velocity",
            "null"),
        rule(
            "sgd grad shape",
            () -> ops.sgdUpdate(c3, f(4), c3, momentum),
            "sgdUpdate",
            "grad",
            "4"),
        rule(
            "adam step 0",
            () -> ops.adamUpdate(c3, c3, f(3), f(3), AdamConfig.defaults(0.1f), 0),
            "adam step t",
            "= 0"),
        rule(
            "adam m shape",
            () -> ops.adamUpdate(c3, c3, f(2), f(3), AdamConfig.defaults(0.1f), 1),
            "adamUpdate",
            "m",
            "2"));
  }

  /** Memory ops: upload, read, fill, view, copy, multiply, sum, allocate. */
  Stream<Arguments> memoryRules() {
    return Stream.of(
        rule(
            "upload length",
            () -> ops.upload(Shape.of(2, 3), new float[5]),
            "write: data length",
            "= 5",
            "6"),
        rule(
            "uploadInts length",
            () -> ops.uploadInts(Shape.of(4), new int[3]),
            "writeInts: data length",
            "= 3",
            "4"),
        rule("upload null data", () -> ops.upload(Shape.of(2), null), "write: data", "given"),
        rule(
            "uploadInts null data",
            () -> ops.uploadInts(Shape.of(2), null),
            "writeInts: data",
            "given"),
        rule("write null data", () -> ops.write(c3, null), "write: data", "given"),
        rule("view null shape", () -> ops.view(c3, null), "view: shape", "given"),
        rule("read of an int tensor", () -> ops.read(arg), "read", "source dtype", "INT32"),
        rule(
            "readInts of a float tensor",
            () -> ops.readInts(c3),
            "readInts",
            "source dtype",
            "FLOAT32"),
        rule("fill of an int tensor", () -> ops.fill(arg, 1f), "fill", "tensor dtype", "INT32"),
        rule("view size", () -> ops.view(m23, Shape.of(7)), "view shape", "7", "6"),
        rule("copy shape", () -> ops.copy(m23, f(3, 2)), "copy", "destination", "3x2"),
        rule("copy dtype", () -> ops.copy(c3, i(3)), "copy destination dtype", "INT32"),
        rule("multiply shape", () -> ops.multiply(m23, m23, f(6)), "multiply", "out", "6"),
        rule(
            "sum of a tensor of another backend",
            () -> ops.sum(other.allocate(Shape.of(2), DType.FLOAT32)),
            "sum",
            "another backend"),
        rule("allocate without a shape", () -> ops.allocate(null, DType.FLOAT32), "shape", "null"),
        rule("allocate without a dtype", () -> ops.allocate(Shape.of(1), null), "dtype", "null"),
        rule(
            "empty tensor",
            () -> ops.allocate(Shape.of(3, 0), DType.FLOAT32),
            "dimension 1",
            "= 0"));
  }

  /**
   * The parameter records: conv and pool geometry, optimizer and batch-norm configs, activations.
   */
  Stream<Arguments> configRules() {
    return Stream.of(
        rule("stride 0", () -> ConvParams.of(3).withStride(0), "stride height", "= 0"),
        rule(
            "negative padding",
            () -> ConvParams.of(3).withPadding(new Padding(0, 0, -1, 0)),
            "padding left",
            "= -1"),
        rule(
            "kernel larger than the padded input",
            () -> ConvGeometry.of(1, 1, 3, 3, 1, ConvParams.of(5).withPadding(Padding.of(0, 1))),
            "kernel height",
            "= 5",
            "padded input height 3"),
        rule(
            "channels not divisible by groups",
            () -> ConvGeometry.of(1, 6, 5, 5, 4, ConvParams.of(3).withGroups(4)),
            "input channels C",
            "= 6",
            "groups = 4"),
        rule(
            "empty output",
            () -> new ConvGeometry(1, 1, 5, 5, 1, ConvParams.of(3), 0, 3),
            "output height",
            "= 0",
            "must be 3"),
        rule(
            "sgd config learning rate",
            () -> new SgdConfig(0f, 0f, false, 0f),
            "learning rate",
            "= 0.0"),
        rule(
            "sgd config momentum 1", () -> new SgdConfig(0.1f, 1f, false, 0f), "momentum", "= 1.0"),
        rule(
            "sgd config nesterov without momentum",
            () -> new SgdConfig(0.1f, 0f, true, 0f),
            "nesterov",
            "true"),
        rule(
            "sgd config negative weight decay",
            () -> new SgdConfig(0.1f, 0f, false, -1f),
            "weight decay",
            "-1.0"),
        rule(
            "adam config beta1",
            () -> new AdamConfig(0.1f, 1f, 0.999f, 1e-8f, 0f),
            "beta1",
            "= 1.0"),
        rule(
            "adam config beta2",
            () -> new AdamConfig(0.1f, 0.9f, -0.1f, 1e-8f, 0f),
            "beta2",
            "-0.1"),
        rule(
            "adam config epsilon",
            () -> new AdamConfig(0.1f, 0.9f, 0.999f, 0f, 0f),
            "epsilon",
            "= 0.0"),
        rule(
            "batch norm config momentum",
            () -> new BatchNormConfig(0f, 1e-5f),
            "batch norm momentum",
            "= 0.0"),
        rule(
            "batch norm config epsilon",
            () -> new BatchNormConfig(0.1f, Float.NaN),
            "batch norm epsilon",
            "NaN"),
        rule(
            "leaky relu slope",
            () -> Activation.leakyRelu(Float.POSITIVE_INFINITY),
            "leaky ReLU slope",
            "Infinity"),
        rule("activation kind", () -> new Activation(null, 0f), "activation", "null"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({
    "convRules",
    "poolRules",
    "layerRules",
    "lossRules",
    "normRules",
    "updateRules",
    "memoryRules",
    "configRules"
  })
  void rejectsWithAMessageNamingParameterAndValue(
      String name, Executable call, String[] fragments) {
    expectRejected(call, fragments);
  }

  /**
   * A closed tensor is a state error, not a bad argument: Ops reports IllegalStateException, naming
   * the op, the tensor and its shape.
   */
  @Test
  void closedTensorIsRejected() {
    Tensor t = ops.allocate(Shape.of(2, 3), DType.FLOAT32);
    t.close();
    Expect.illegalState(() -> ops.read(t), "read", "source", "2x3", "closed");
    Expect.illegalState(() -> ops.fill(t, 0f), "fill", "tensor", "closed");
  }
}
