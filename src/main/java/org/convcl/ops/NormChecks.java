package org.convcl.ops;

import static org.convcl.ops.OpsChecks.in;
import static org.convcl.ops.OpsChecks.noAlias;

import java.util.List;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The argument rules of dropout and batch normalisation: shapes, types, ownership and aliasing,
 * checked by the {@link Ops} method of the same name before it calls the backend. Messages name the
 * op, the parameter and the value.
 */
final class NormChecks {
  private NormChecks() {}

  static void dropoutForward(
      OpsChecks check, Tensor input, Tensor output, Tensor mask, float p, long seed) {
    check.floats("dropoutForward", "input", input);
    check.floats("dropoutForward", "output", output, input.shape());
    check.floats("dropoutForward", "mask", mask, input.shape());
    Require.inRange("dropout probability", p, 0f, 1f);
    noAlias("dropoutForward", List.of(in("output", output), in("mask", mask)), in("input", input));
  }

  static void batchNormForward(
      OpsChecks check,
      Tensor input,
      Tensor output,
      BatchNormTensors t,
      BatchNormConfig config,
      boolean training) {
    String op = "batchNormForward";
    Shape c = check.channels(op, input);
    check.floats(op, "gamma", t.gamma(), c);
    check.floats(op, "beta", t.beta(), c);
    check.floats(op, "runningMean", t.runningMean(), c);
    check.floats(op, "runningVar", t.runningVar(), c);
    check.floats(op, "output", output, input.shape());
    if (training) {
      check.floats(op, "saveMean", t.saveMean(), c);
      check.floats(op, "saveInvStd", t.saveInvStd(), c);
      Require.that(
          input.shape().size() / c.size() > 1,
          "batch norm values per channel",
          input.shape().size() / c.size(),
          "must be at least 2 in training (input " + input.shape() + ")");
    }
    noAlias(
        op,
        List.of(
            in("runningMean", t.runningMean()),
            in("runningVar", t.runningVar()),
            in("output", output),
            in("saveMean", training ? t.saveMean() : null),
            in("saveInvStd", training ? t.saveInvStd() : null)),
        in("input", input),
        in("gamma", t.gamma()),
        in("beta", t.beta()));
  }

  static void batchNormBackward(
      OpsChecks check, Tensor input, Tensor gradOutput, Tensor gradInput, BatchNormTensors t) {
    String op = "batchNormBackward";
    Shape c = check.channels(op, input);
    check.floats(op, "gradOutput", gradOutput, input.shape());
    check.floats(op, "gamma", t.gamma(), c);
    check.floats(op, "saveMean", t.saveMean(), c);
    check.floats(op, "saveInvStd", t.saveInvStd(), c);
    check.floats(op, "gradInput", gradInput, input.shape());
    check.floats(op, "gradGamma", t.gradGamma(), c);
    check.floats(op, "gradBeta", t.gradBeta(), c);
    noAlias(
        op,
        List.of(
            in("gradInput", gradInput),
            in("gradGamma", t.gradGamma()),
            in("gradBeta", t.gradBeta())),
        in("input", input),
        in("gradOutput", gradOutput),
        in("gamma", t.gamma()),
        in("saveMean", t.saveMean()),
        in("saveInvStd", t.saveInvStd()));
  }
}
