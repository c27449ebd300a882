package org.convcl.ops;

import org.convcl.cpu.CpuOps;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Expect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The fixture of the Ops argument-rule tables: one single-threaded CpuOps, tensor shorthands
 * ({@code f(2, 3)} is a float 2x3 tensor, {@code i(4)} an int one) and the table row format (a
 * name, the bad call, and the fragments its IllegalArgumentException message must contain).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OpsRuleTable {
  protected final Ops ops = new CpuOps(1);

  protected Tensor f(int... dims) {
    return ops.allocate(Shape.of(dims), DType.FLOAT32);
  }

  protected Tensor i(int... dims) {
    return ops.allocate(Shape.of(dims), DType.INT32);
  }

  @AfterAll
  void closeOps() {
    ops.close();
  }

  protected static Arguments rule(String name, Executable call, String... fragments) {
    return Arguments.of(name, call, fragments);
  }

  protected static void expectRejected(Executable call, String[] fragments) {
    Expect.illegalArgument(call, fragments);
  }
}
