package org.convcl.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.stream.Stream;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The aliasing rule of the Ops SPI, through CpuOps: an output that shares memory with an input or
 * another output (the same tensor or a view of it) is refused, naming the op and both parameters;
 * the in-place updates the SPI promises stay allowed.
 */
class OpsAliasTest extends OpsRuleTable {

  /**
   * Outputs must not share memory with inputs (or other outputs), views included: the OpenCL
   * kernels read and write in parallel, so an aliased call would silently disagree with the CPU.
   */
  Stream<Arguments> aliasRules() {
    // A 1x1 convolution with K = C keeps the shape, so output and input could be one buffer.
    ConvGeometry keep = ConvGeometry.of(2, 3, 5, 5, 3, ConvParams.of(1));
    Tensor x = f(2, 3, 5, 5);
    Tensor w = f(3, 3, 1, 1);
    Tensor m23 = f(2, 3);
    Tensor c3 = f(3);
    SgdConfig plain = new SgdConfig(0.1f, 0f, false, 0f);
    return Stream.of(
        rule(
            "conv output is the input",
            () -> ops.convForward(x, w, null, x, keep),
            "convForward: output aliases input"),
        rule(
            "conv output is a view of the input",
            () -> ops.convForward(x, w, null, ops.view(x, x.shape()), keep),
            "convForward: output aliases input"),
        rule(
            "convBackwardInput gradInput is gradOutput",
            () -> ops.convBackwardInput(x, w, x, keep),
            "convBackwardInput: gradInput aliases gradOutput"),
        rule(
            "activation in place through a flattening view",
            () -> ops.activationForward(Activation.RELU, m23, ops.view(m23, Shape.of(2, 3))),
            "activationForward: output aliases input"),
        rule("multiply in place", () -> ops.multiply(m23, f(2, 3), m23), "multiply: out aliases a"),
        rule(
            "softmax probs are the logits",
            () -> ops.softmaxForward(m23, m23),
            "softmaxForward: probs aliases logits"),
        rule(
            "softmax cross-entropy losses are the probs",
            () -> {
              Tensor probs = f(1, 1);
              ops.softmaxCrossEntropyForward(f(1, 1), i(1), probs, ops.view(probs, Shape.of(1)));
            },
            "softmaxCrossEntropyForward: losses aliases probs"),
        rule("copy onto itself", () -> ops.copy(m23, m23), "copy: destination aliases source"),
        rule(
            "batch norm output is the input",
            () ->
                ops.batchNormForward(
                    m23,
                    m23,
                    BatchNormTensors.forForward(c3, f(3), f(3), f(3), f(3), f(3)),
                    BatchNormConfig.DEFAULT,
                    true),
            "batchNormForward: output aliases input"),
        rule(
            "batch norm saveMean is runningMean",
            () ->
                ops.batchNormForward(
                    m23,
                    f(2, 3),
                    BatchNormTensors.forForward(f(3), f(3), c3, f(3), c3, f(3)),
                    BatchNormConfig.DEFAULT,
                    true),
            "batchNormForward: saveMean aliases runningMean"),
        rule(
            "sgd param is its gradient",
            () -> ops.sgdUpdate(c3, c3, null, plain),
            "sgdUpdate: param aliases grad"),
        rule(
            "adam m is v",
            () -> ops.adamUpdate(f(3), f(3), c3, c3, AdamConfig.defaults(0.1f), 1),
            "adamUpdate: v aliases m"));
  }

  /** In-place updates are the point of the optimizer ops and of fill; they stay allowed. */
  @Test
  void inPlaceUpdatesStayAllowed() {
    Tensor param = ops.upload(Shape.of(2), new float[] {1f, 2f});
    Tensor grad = ops.upload(Shape.of(2), new float[] {1f, 1f});
    ops.sgdUpdate(param, grad, null, new SgdConfig(0.5f, 0f, false, 0f));
    ops.fill(grad, 3f);
    assertArrayEquals(new float[] {0.5f, 1.5f}, ops.read(param));
    assertArrayEquals(new float[] {3f, 3f}, ops.read(grad));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("aliasRules")
  void rejectsAnAliasedOutputNamingBothParameters(
      String name, Executable call, String[] fragments) {
    expectRejected(call, fragments);
  }
}
