package org.convcl.ops;

import static org.convcl.ops.OpsChecks.in;
import static org.convcl.ops.OpsChecks.noAlias;

import java.util.List;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Require;
import org.convcl.tensor.Tensor;

/**
 * The argument rules of max and average pooling: shapes, types, ownership and aliasing, checked by
 * the {@link Ops} method of the same name before it calls the backend. Messages name the op, the
 * parameter and the value.
 */
final class PoolChecks {
  private PoolChecks() {}

  static void maxPoolForward(
      OpsChecks check, Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    String op = "maxPoolForward";
    check.floats(op, "input", input, g.inputShape());
    check.floats(op, "output", output, g.outputShape());
    check.ints(op, "argmax", argmax, g.outputShape());
    noAlias(op, List.of(in("output", output), in("argmax", argmax)), in("input", input));
  }

  static void maxPoolBackward(
      OpsChecks check,
      Tensor gradOutput,
      Tensor argmax,
      Tensor gradInput,
      PoolGeometry g,
      Activation derivative,
      Tensor output) {
    String op = "maxPoolBackward";
    check.floats(op, "gradOutput", gradOutput, g.outputShape());
    check.ints(op, "argmax", argmax, g.outputShape());
    check.floats(op, "gradInput", gradInput, g.inputShape());
    derivativeFromPooled(op, derivative, "output", output);
    if (output == null) {
      noAlias(op, "gradInput", gradInput, in("gradOutput", gradOutput), in("argmax", argmax));
      return;
    }
    check.floats(op, "output", output, g.outputShape());
    noAlias(
        op,
        "gradInput",
        gradInput,
        in("gradOutput", gradOutput),
        in("argmax", argmax),
        in("output", output));
  }

  /**
   * A max pool's backward that applies {@code derivative} reads f' from the sign of the pooled
   * output (parameter {@code name}): only functions {@link Activation#derivableFromOutput()} allow
   * that, and the output must be given. Nothing to check without a derivative.
   */
  static void derivativeFromPooled(String op, Activation derivative, String name, Tensor pooled) {
    if (derivative == null) {
      return;
    }
    Require.that(
        derivative.derivableFromOutput(),
        op + ": derivative",
        derivative,
        "must be readable from the output's sign (ReLU, or leaky ReLU with slope >= 0)");
    Require.that(
        pooled != null, op + ": " + name, null, "must be given with derivative " + derivative);
  }

  static void avgPoolForward(OpsChecks check, Tensor input, Tensor output, PoolGeometry g) {
    check.floats("avgPoolForward", "input", input, g.inputShape());
    check.floats("avgPoolForward", "output", output, g.outputShape());
    noAlias("avgPoolForward", "output", output, in("input", input));
  }

  static void avgPoolBackward(
      OpsChecks check, Tensor gradOutput, Tensor gradInput, PoolGeometry g) {
    check.floats("avgPoolBackward", "gradOutput", gradOutput, g.outputShape());
    check.floats("avgPoolBackward", "gradInput", gradInput, g.inputShape());
    noAlias("avgPoolBackward", "gradInput", gradInput, in("gradOutput", gradOutput));
  }
}
