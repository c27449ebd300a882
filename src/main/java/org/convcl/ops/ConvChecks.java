package org.convcl.ops;

import static org.convcl.ops.OpsChecks.in;
import static org.convcl.ops.OpsChecks.noAlias;

import java.util.List;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The argument rules of convolution and its bias gradient: shapes, types, ownership and aliasing,
 * checked by the {@link Ops} method of the same name before it calls the backend. Messages name the
 * op, the parameter and the value.
 */
final class ConvChecks {
  private ConvChecks() {}

  static void convForward(
      OpsChecks check, Tensor input, Tensor weights, Tensor bias, Tensor output, ConvGeometry g) {
    String op = "convForward";
    operands(check, op, input, weights, bias, g);
    check.floats(op, "output", output, g.outputShape());
    noAlias(op, "output", output, in("input", input), in("weights", weights), in("bias", bias));
  }

  static void convBackwardInput(
      OpsChecks check, Tensor gradOutput, Tensor weights, Tensor gradInput, ConvGeometry g) {
    String op = "convBackwardInput";
    check.floats(op, "gradOutput", gradOutput, g.outputShape());
    check.floats(op, "weights", weights, g.weightShape());
    check.floats(op, "gradInput", gradInput, g.inputShape());
    noAlias(op, "gradInput", gradInput, in("gradOutput", gradOutput), in("weights", weights));
  }

  static void convBackwardFilter(
      OpsChecks check, Tensor input, Tensor gradOutput, Tensor gradWeights, ConvGeometry g) {
    String op = "convBackwardFilter";
    check.floats(op, "input", input, g.inputShape());
    check.floats(op, "gradOutput", gradOutput, g.outputShape());
    check.floats(op, "gradWeights", gradWeights, g.weightShape());
    noAlias(op, "gradWeights", gradWeights, in("input", input), in("gradOutput", gradOutput));
  }

  static void convMaxPoolForward(
      OpsChecks check,
      Tensor input,
      Tensor weights,
      Tensor bias,
      Tensor pooled,
      Tensor argmax,
      ConvGeometry g,
      PoolGeometry pool) {
    String op = "convMaxPoolForward";
    poolOverConv(op, g, pool);
    operands(check, op, input, weights, bias, g);
    check.floats(op, "pooled", pooled, pool.outputShape());
    check.ints(op, "argmax", argmax, pool.outputShape());
    noAlias(
        op,
        List.of(in("pooled", pooled), in("argmax", argmax)),
        in("input", input),
        in("weights", weights),
        in("bias", bias));
  }

  static void convMaxPoolBackwardFilter(
      OpsChecks check,
      Tensor input,
      Tensor gradPooled,
      Tensor argmax,
      Tensor pooled,
      Tensor gradWeights,
      Tensor gradBias,
      ConvGeometry g,
      Activation derivative,
      PoolGeometry pool) {
    String op = "convMaxPoolBackwardFilter";
    poolOverConv(op, g, pool);
    check.floats(op, "input", input, g.inputShape());
    check.floats(op, "gradPooled", gradPooled, pool.outputShape());
    check.ints(op, "argmax", argmax, pool.outputShape());
    check.floats(op, "gradWeights", gradWeights, g.weightShape());
    if (gradBias != null) {
      check.floats(op, "gradBias", gradBias, g.biasShape());
    }
    PoolChecks.derivativeFromPooled(op, derivative, "pooled", pooled);
    if (derivative != null) {
      check.floats(op, "pooled", pooled, pool.outputShape());
    }
    noAlias(
        op,
        List.of(in("gradWeights", gradWeights), in("gradBias", gradBias)),
        in("input", input),
        in("gradPooled", gradPooled),
        in("argmax", argmax),
        in("pooled", derivative == null ? null : pooled));
  }

  /** A forward's input, weights and bias (optional) for {@code g}. */
  private static void operands(
      OpsChecks check, String op, Tensor input, Tensor weights, Tensor bias, ConvGeometry g) {
    check.floats(op, "input", input, g.inputShape());
    check.floats(op, "weights", weights, g.weightShape());
    if (bias != null) {
      check.floats(op, "bias", bias, g.biasShape());
    }
  }

  /**
   * The pooling must be given and read the convolution's output: its input shape is that output's
   * shape.
   */
  private static void poolOverConv(String op, ConvGeometry g, PoolGeometry pool) {
    Require.that(pool != null, op + ": pool", null, "must be given");
    Require.sameShape(op, "pool input", g.outputShape(), pool.inputShape());
  }

  static void biasBackward(OpsChecks check, Tensor gradOutput, Tensor gradBias) {
    check.floats("biasBackward", "gradOutput", gradOutput);
    Shape s = gradOutput.shape();
    if (s.rank() < 2) {
      throw new IllegalArgumentException(
          "biasBackward: gradOutput has shape "
              + s
              + " (rank "
              + s.rank()
              + "): rank must be at least 2");
    }
    check.floats("biasBackward", "gradBias", gradBias, Shape.of(gradOutput.shape().dim(1)));
    noAlias("biasBackward", "gradBias", gradBias, in("gradOutput", gradOutput));
  }
}
