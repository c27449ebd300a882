package org.convcl.ops;

import static org.convcl.ops.OpsChecks.in;
import static org.convcl.ops.OpsChecks.noAlias;

import org.convcl.tensor.ConvGeometry;
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
    check.floats(op, "input", input, g.inputShape());
    check.floats(op, "weights", weights, g.weightShape());
    if (bias != null) {
      check.floats(op, "bias", bias, g.biasShape());
    }
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
