package org.convcl.ops;

import static org.convcl.ops.OpsChecks.in;
import static org.convcl.ops.OpsChecks.noAlias;

import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The argument rules of the element-wise activations and the dense layer: shapes, types, ownership
 * and aliasing, checked by the {@link Ops} method of the same name before it calls the backend.
 * Messages name the op, the parameter and the value.
 */
final class LayerChecks {
  private LayerChecks() {}

  static void activationForward(OpsChecks check, Activation f, Tensor input, Tensor output) {
    check.floats("activationForward", "input", input);
    check.floats("activationForward", "output", output, input.shape());
    noAlias("activationForward", "output", output, in("input", input));
  }

  static void activationBackward(
      OpsChecks check,
      Activation f,
      Tensor input,
      Tensor output,
      Tensor gradOutput,
      Tensor gradInput) {
    String op = "activationBackward";
    check.floats(op, "input", input);
    check.floats(op, "output", output, input.shape());
    check.floats(op, "gradOutput", gradOutput, input.shape());
    check.floats(op, "gradInput", gradInput, input.shape());
    noAlias(
        op,
        "gradInput",
        gradInput,
        in("input", input),
        in("output", output),
        in("gradOutput", gradOutput));
  }

  static void denseForward(
      OpsChecks check, Tensor input, Tensor weights, Tensor bias, Tensor output) {
    Shape x = check.matrix("denseForward", "input", input);
    Shape wt = check.matrix("denseForward", "weights", weights);
    Require.that(
        wt.dim(1) == x.dim(1),
        "denseForward: weights",
        wt,
        "must have " + x.dim(1) + " columns to match input " + x);
    if (bias != null) {
      check.floats("denseForward", "bias", bias, Shape.of(wt.dim(0)));
    }
    check.floats("denseForward", "output", output, Shape.of(x.dim(0), wt.dim(0)));
    noAlias(
        "denseForward",
        "output",
        output,
        in("input", input),
        in("weights", weights),
        in("bias", bias));
  }

  static void denseBackwardInput(
      OpsChecks check, Tensor gradOutput, Tensor weights, Tensor gradInput) {
    Shape dy = check.matrix("denseBackwardInput", "gradOutput", gradOutput);
    Shape wt = check.matrix("denseBackwardInput", "weights", weights);
    Require.that(
        wt.dim(0) == dy.dim(1),
        "denseBackwardInput: weights",
        wt,
        "must have " + dy.dim(1) + " rows");
    check.floats("denseBackwardInput", "gradInput", gradInput, Shape.of(dy.dim(0), wt.dim(1)));
    noAlias(
        "denseBackwardInput",
        "gradInput",
        gradInput,
        in("gradOutput", gradOutput),
        in("weights", weights));
  }

  static void denseBackwardWeights(
      OpsChecks check, Tensor input, Tensor gradOutput, Tensor gradWeights) {
    Shape x = check.matrix("denseBackwardWeights", "input", input);
    Shape dy = check.matrix("denseBackwardWeights", "gradOutput", gradOutput);
    Require.that(
        dy.dim(0) == x.dim(0),
        "denseBackwardWeights: gradOutput",
        dy,
        "must have " + x.dim(0) + " rows");
    check.floats("denseBackwardWeights", "gradWeights", gradWeights, Shape.of(dy.dim(1), x.dim(1)));
    noAlias(
        "denseBackwardWeights",
        "gradWeights",
        gradWeights,
        in("input", input),
        in("gradOutput", gradOutput));
  }
}
