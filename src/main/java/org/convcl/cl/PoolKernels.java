package org.convcl.cl;

import org.convcl.ops.Activation;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.Tensor;

/** Launchers of opencl/maxpool.cl and opencl/avgpool.cl. */
final class PoolKernels {
  /** The versions of max pooling's backward pass in opencl/maxpool.cl. */
  enum BackwardVariant {
    /** Gather over the covering windows; any geometry. */
    V1_GATHER,
    /** Zero-fill, then a store per window; only for disjoint windows (stride >= kernel). */
    V2_DISJOINT;

    /** The variant used unless a test asks for another: v2 where its precondition holds. */
    static BackwardVariant defaultFor(PoolGeometry g) {
      return isDisjoint(g) ? V2_DISJOINT : V1_GATHER;
    }
  }

  /** No input cell lies in two windows. */
  static boolean isDisjoint(PoolGeometry g) {
    return g.params().strideH() >= g.params().kernelH()
        && g.params().strideW() >= g.params().kernelW();
  }

  /**
   * Outputs per work-item of maxpool_forward_v2 (its build option POOL_OW, set by ClOps for the
   * whole of maxpool.cl so one program serves every pooling kernel).
   */
  static final int OUTPUTS_PER_ITEM = 8;

  private final ClOps ops;

  PoolKernels(ClOps ops) {
    this.ops = ops;
  }

  /** The versions of max pooling's forward pass in opencl/maxpool.cl. */
  enum ForwardVariant {
    /** One work-item per output. */
    V1_DIRECT,
    /** OUTPUTS_PER_ITEM adjacent outputs per work-item, branch-free; the default. */
    V2_ROW_BLOCK
  }

  void maxForward(Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    maxForward(ForwardVariant.V2_ROW_BLOCK, input, output, argmax, g);
  }

  void maxForward(ForwardVariant v, Tensor input, Tensor output, Tensor argmax, PoolGeometry g) {
    boolean blocked = v == ForwardVariant.V2_ROW_BLOCK;
    Launch l = ops.launch("maxpool.cl", blocked ? "maxpool_forward_v2" : "maxpool_forward_v1");
    l.args().tensor(ops.cl(input)).tensor(ops.cl(output)).tensor(ops.cl(argmax));
    GeometryArgs.pool(l.args(), g);
    long columns = blocked ? (g.outW() + OUTPUTS_PER_ITEM - 1) / OUTPUTS_PER_ITEM : g.outW();
    l.spatial(g.outH() * columns, g.c(), g.n(), () -> "maxPoolForward " + g);
  }

  /**
   * The upsample, times {@code derivative}'s f' read from the pooled {@code output} when a
   * derivative is given (null: neither is used).
   */
  void maxBackward(
      Tensor gradOutput,
      Tensor argmax,
      Tensor gradInput,
      PoolGeometry g,
      Activation derivative,
      Tensor output) {
    maxBackward(
        BackwardVariant.defaultFor(g), gradOutput, argmax, gradInput, g, derivative, output);
  }

  void maxBackward(
      BackwardVariant v,
      Tensor gradOutput,
      Tensor argmax,
      Tensor gradInput,
      PoolGeometry g,
      Activation derivative,
      Tensor output) {
    if (v == BackwardVariant.V2_DISJOINT) {
      if (!isDisjoint(g)) {
        throw new IllegalArgumentException(
            "maxpool_backward_disjoint_v2 needs stride >= kernel, not " + g.params());
      }
      ops.fill(gradInput, 0f);
    }
    String kernel =
        v == BackwardVariant.V1_GATHER ? "maxpool_backward_v1" : "maxpool_backward_disjoint_v2";
    Launch l = ops.launch("maxpool.cl", kernel);
    l.args().tensor(ops.cl(gradOutput)).tensor(ops.cl(argmax)).tensor(ops.cl(gradInput));
    // maxpool.cl's kind and alpha are activation.cl's codes, as the forward epilogue writes them.
    l.args().mem(derivative == null ? ops.dummy() : ops.cl(output).buffer()).epilogue(derivative);
    GeometryArgs.pool(l.args(), g);
    long plane = v == BackwardVariant.V1_GATHER ? (long) g.h() * g.w() : (long) g.outH() * g.outW();
    l.spatial(plane, g.c(), g.n(), () -> "maxPoolBackward " + g);
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
