package org.convcl.cl;

import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Tensor;

/** Launchers of opencl/maxpool.cl and opencl/avgpool.cl. */
final class PoolKernels {
  private final ClOps ops;

  PoolKernels(ClOps ops) {
    this.ops = ops;
  }

  void maxForward(Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    Launch l = ops.launch("maxpool.cl", "maxpool_forward_v1");
    l.args().tensor(ops.cl(input)).tensor(ops.cl(output)).tensor(ops.cl(argmax));
    GeometryArgs.pool(l.args(), g);
    l.spatial((long) g.outH() * g.outW(), g.c(), g.n(), () -> "maxPoolForward " + g);
  }

  void maxBackward(Tensor gradOutput, Tensor argmax, Tensor gradInput, PoolGeometry g) {
    Launch l = ops.launch("maxpool.cl", "maxpool_backward_v1");
    l.args().tensor(ops.cl(gradOutput)).tensor(ops.cl(argmax)).tensor(ops.cl(gradInput));
    GeometryArgs.pool(l.args(), g);
    l.spatial((long) g.h() * g.w(), g.c(), g.n(), () -> "maxPoolBackward " + g);
  }

  void avgForward(Tensor input, Tensor output, PoolGeometry g) {
    Launch l = ops.launch("avgpool.cl", "avgpool_forward_v1");
    l.args().tensor(ops.cl(input)).tensor(ops.cl(output)).bool(g.params().countIncludePad());
    GeometryArgs.pool(l.args(), g);
    l.spatial((long) g.outH() * g.outW(), g.c(), g.n(), () -> "avgPoolForward " + g);
  }

  void avgBackward(Tensor gradOutput, Tensor gradInput, PoolGeometry g) {
    Launch l = ops.launch("avgpool.cl", "avgpool_backward_v1");
    l.args().tensor(ops.cl(gradOutput)).tensor(ops.cl(gradInput));
    l.args().bool(g.params().countIncludePad());
    GeometryArgs.pool(l.args(), g);
    l.spatial((long) g.h() * g.w(), g.c(), g.n(), () -> "avgPoolBackward " + g);
  }
}
