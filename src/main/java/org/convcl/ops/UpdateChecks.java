package org.convcl.ops;

import static org.convcl.ops.OpsChecks.in;
import static org.convcl.ops.OpsChecks.noAlias;

import java.util.List;
import org.convcl.tensor.Require;
import org.convcl.tensor.Tensor;

/**
 * The argument rules of the in-place optimizer steps: shapes, types, ownership and aliasing,
 * checked by the {@link Ops} method of the same name before it calls the backend. Messages name the
 * op, the parameter and the value.
 */
final class UpdateChecks {
  private UpdateChecks() {}

  static void sgdUpdate(
      OpsChecks check, Tensor param, Tensor grad, Tensor velocity, SgdConfig config) {
    check.floats("sgdUpdate", "param", param);
    check.floats("sgdUpdate", "grad", grad, param.shape());
    if (config.momentum() > 0 || velocity != null) {
      check.floats("sgdUpdate", "velocity", velocity, param.shape());
    }
    // param and velocity are updated in place (read and written by design), but must be distinct.
    noAlias("sgdUpdate", List.of(in("param", param), in("velocity", velocity)), in("grad", grad));
  }

  static void adamUpdate(
      OpsChecks check, Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int t) {
    check.floats("adamUpdate", "param", param);
    check.floats("adamUpdate", "grad", grad, param.shape());
    check.floats("adamUpdate", "m", m, param.shape());
    check.floats("adamUpdate", "v", v, param.shape());
    Require.positive("adam step t", t);
    // param, m and v are updated in place (read and written by design), but must be distinct.
    noAlias("adamUpdate", List.of(in("param", param), in("m", m), in("v", v)), in("grad", grad));
  }
}
