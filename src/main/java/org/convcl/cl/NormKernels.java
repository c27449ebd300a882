package org.convcl.cl;

import java.util.function.Supplier;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/** Launchers of opencl/batchnorm.cl; inputs are [N][C] or [N][C][H][W], seen as [N][C][P]. */
final class NormKernels {
  private final ClOps ops;

  NormKernels(ClOps ops) {
    this.ops = ops;
  }

  void forward(
      Tensor input, Tensor output, BatchNormTensors t, BatchNormConfig config, boolean training) {
    Shape s = input.shape();
    int n = s.dim(0);
    int c = s.dim(1);
    int p = s.size() / (n * c);
    Launch l =
        ops.batchNormLaunch(training ? "batchnorm_forward_train_v1" : "batchnorm_forward_infer_v1");
    l.args().tensor(ops.cl(input)).tensor(ops.cl(t.gamma())).tensor(ops.cl(t.beta()));
    l.args().tensor(ops.cl(t.runningMean())).tensor(ops.cl(t.runningVar()));
    l.args().tensor(ops.cl(output));
    if (training) {
      l.args().tensor(ops.cl(t.saveMean())).tensor(ops.cl(t.saveInvStd()));
      l.args().i(n).i(c).i(p).f(config.momentum()).f(config.epsilon());
      perChannel(l, c, () -> "batchNormForward (training) " + s);
    } else {
      l.args().i(n).i(c).i(p).f(config.epsilon());
      l.linear(s.size(), () -> "batchNormForward (inference) " + s);
    }
  }

  void backward(Tensor input, Tensor gradOutput, Tensor gradInput, BatchNormTensors t) {
    Shape s = input.shape();
    int n = s.dim(0);
    int c = s.dim(1);
    int p = s.size() / (n * c);
    Launch l = ops.batchNormLaunch("batchnorm_backward_v1");
    l.args().tensor(ops.cl(input)).tensor(ops.cl(gradOutput)).tensor(ops.cl(t.gamma()));
    l.args().tensor(ops.cl(t.saveMean())).tensor(ops.cl(t.saveInvStd()));
    l.args().tensor(ops.cl(gradInput)).tensor(ops.cl(t.gradGamma())).tensor(ops.cl(t.gradBeta()));
    l.args().i(n).i(c).i(p);
    perChannel(l, c, () -> "batchNormBackward " + s);
  }

  /** One work-group of BN_WG work-items per channel. */
  private void perChannel(Launch l, int channels, Supplier<String> what) {
    long wg = ops.batchNormGroup();
    l.run(new long[] {channels * wg}, new long[] {wg}, what);
  }
}
