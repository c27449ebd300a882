package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.convcl.cpu.CpuOps;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A closed backend refuses every further op the same way on the CPU and on OpenCL, so a
 * use-after-close bug in the training code cannot pass the CPU tests and fail only on a device.
 */
class ClosedBackendTest {

  @Test
  void aClosedCpuBackendRefusesFurtherUse() {
    checkRefusesAfterClose(new CpuOps(1));
  }

  @Test
  void aClosedOpenClBackendRefusesFurtherUse() {
    checkRefusesAfterClose(ClOps.open(ClTestSupport.ops().device()));
  }

  private static void checkRefusesAfterClose(Ops ops) {
    ConvGeometry g = ConvGeometry.of(1, 1, 3, 3, 1, ConvParams.of(1));
    Tensor x = ops.upload(g.inputShape(), new float[9]);
    Tensor w = ops.upload(g.weightShape(), new float[1]);
    Tensor y = ops.allocate(g.outputShape(), DType.FLOAT32);
    String name = ops.name();
    ops.close();
    ops.close(); // idempotent
    refused(() -> ops.convForward(x, w, null, y, g), "convForward", name);
    refused(() -> ops.allocate(Shape.of(2), DType.FLOAT32), "allocate", name);
    refused(() -> ops.read(y), "read", name);
    refused(() -> ops.fill(y, 1f), "fill", name);
  }

  private static void refused(Executable call, String op, String backend) {
    IllegalStateException e = assertThrows(IllegalStateException.class, call);
    String m = e.getMessage();
    assertTrue(m.contains(op) && m.contains(backend) && m.contains("already closed"), m);
  }
}
