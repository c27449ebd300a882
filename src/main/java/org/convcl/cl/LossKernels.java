package org.convcl.cl;

import org.convcl.tensor.Tensor;

/** Launchers of opencl/softmax_xent.cl. */
final class LossKernels {
  private final ClOps ops;

  LossKernels(ClOps ops) {
    this.ops = ops;
  }

  void softmax(Tensor logits, Tensor probs) {
    int n = logits.shape().dim(0);
    int k = logits.shape().dim(1);
    Launch l = ops.launch("softmax_xent.cl", "softmax_forward_v1");
    l.args().tensor(ops.cl(logits)).tensor(ops.cl(probs)).i(n).i(k);
    l.linear(n, () -> "softmaxForward " + logits.shape());
  }

  void softmaxForward(Tensor logits, Tensor labels, Tensor probs, Tensor losses) {
    int n = logits.shape().dim(0);
    int k = logits.shape().dim(1);
    Launch l = ops.launch("softmax_xent.cl", "softmax_xent_forward_v1");
    l.args().tensor(ops.cl(logits)).tensor(ops.cl(labels)).tensor(ops.cl(probs));
    l.args().tensor(ops.cl(losses)).i(n).i(k);
    l.linear(n, () -> "softmaxCrossEntropyForward " + logits.shape());
  }

  void softmaxBackward(Tensor probs, Tensor labels, float scale, Tensor gradLogits) {
    int n = probs.shape().dim(0);
    int k = probs.shape().dim(1);
    Launch l = ops.launch("softmax_xent.cl", "softmax_xent_backward_v1");
    l.args().tensor(ops.cl(probs)).tensor(ops.cl(labels)).f(scale).tensor(ops.cl(gradLogits));
    l.args().i(n).i(k);
    l.linear((long) n * k, () -> "softmaxCrossEntropyBackward " + probs.shape());
  }

  void argmaxRows(Tensor x, Tensor out) {
    int n = x.shape().dim(0);
    Launch l = ops.launch("softmax_xent.cl", "argmax_rows_v1");
    l.args().tensor(ops.cl(x)).tensor(ops.cl(out)).i(n).i(x.shape().dim(1));
    l.linear(n, () -> "argmaxRows " + x.shape());
  }
}
