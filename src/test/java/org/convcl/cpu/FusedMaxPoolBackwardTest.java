package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.ref.RefOps;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.FusedMaxPoolCase;
import org.junit.jupiter.api.Test;

/**
 * The max-pool backward fused with the ReLU / leaky ReLU backward on CpuOps and on the reference
 * itself, against the reference and against the unfused op sequence (see {@link FusedMaxPoolCase}),
 * on seeded random pooling geometries; and the argument rules of the overload.
 */
class FusedMaxPoolBackwardTest {
  private static final int CASES = 200;

  @Test
  void cpuMatchesTheReferenceAndTheUnfusedSequence() {
    try (Ops cpu = new CpuOps();
        Ops ref = new RefOps()) {
      for (long seed = 0; seed < CASES; seed++) {
        for (Activation f : FusedMaxPoolCase.DERIVATIVES) {
          FusedMaxPoolCase.check(cpu, ref, seed, f);
        }
      }
    }
  }

  @Test
  void referenceMatchesItsOwnUnfusedSequence() {
    try (Ops ref = new RefOps();
        Ops oracle = new RefOps()) {
      for (long seed = 0; seed < CASES / 4; seed++) {
        for (Activation f : FusedMaxPoolCase.DERIVATIVES) {
          FusedMaxPoolCase.check(ref, oracle, seed, f);
        }
      }
    }
  }

  @Test
  void refusesADerivativeWithoutOutputOrNotReadableFromIt() {
    PoolGeometry g = FusedMaxPoolCase.geometry(3);
    try (Ops ops = new CpuOps();
        Tensor dy = ops.allocate(g.outputShape(), DType.FLOAT32);
        Tensor idx = ops.allocate(g.outputShape(), DType.INT32);
        Tensor dx = ops.allocate(g.inputShape(), DType.FLOAT32);
        Tensor y = ops.allocate(g.outputShape(), DType.FLOAT32);
        Tensor wrong = ops.allocate(Shape.of(g.outputShape().size() + 1), DType.FLOAT32)) {
      expect(
          () -> ops.maxPoolBackward(dy, idx, dx, g, Activation.RELU, null),
          "maxPoolBackward: output");
      expect(
          () -> ops.maxPoolBackward(dy, idx, dx, g, Activation.TANH, y),
          "maxPoolBackward: derivative");
      expect(
          () -> ops.maxPoolBackward(dy, idx, dx, g, Activation.leakyRelu(-0.5f), y),
          "maxPoolBackward: derivative");
      expect(() -> ops.maxPoolBackward(dy, idx, dx, g, Activation.RELU, wrong), "output");
    }
  }

  private static void expect(Runnable call, String named) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(named), e.getMessage() + " should name " + named);
  }
}
