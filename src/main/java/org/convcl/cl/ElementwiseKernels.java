package org.convcl.cl;

import org.convcl.ops.Activation;
import org.convcl.ops.AdamConfig;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * Launchers of the one-work-item-per-element kernels: opencl/elementwise.cl, activation.cl and
 * optimizer.cl.
 */
final class ElementwiseKernels {
  /** Partial-sum length of {@code sum}: each partial is a float sum of this many elements. */
  private static final int SUM_CHUNK = 256;

  private final ClOps ops;

  ElementwiseKernels(ClOps ops) {
    this.ops = ops;
  }

  void fill(Tensor t, float value) {
    Launch l = ops.launch("elementwise.cl", "fill_v1");
    l.args().tensor(ops.cl(t)).i(t.shape().size()).f(value);
    l.linear(t.shape().size(), () -> "fill " + t.shape());
  }

  void copy(Tensor src, Tensor dst) {
    Launch l = ops.launch("elementwise.cl", "copy_v1");
    l.args().tensor(ops.cl(src)).tensor(ops.cl(dst)).i(src.shape().size());
    l.linear(src.shape().size(), () -> "copy " + src.shape());
  }

  /**
   * Float partial sums of SUM_CHUNK elements on the device (reduce.cl), added in double on the
   * host: reading the partials back is what makes {@code sum} a synchronisation point.
   */
  double sum(Tensor t) {
    int n = t.shape().size();
    int chunks = Chunks.count(n, SUM_CHUNK);
    try (ClTensor partial = ops.temp(Shape.of(chunks), () -> "sum partials of " + t.shape())) {
      Launch l = ops.launch("reduce.cl", "sum_partial_v1");
      l.args().tensor(ops.cl(t)).tensor(partial).i(n).i(SUM_CHUNK).i(chunks);
      l.linear(chunks, () -> "sum " + t.shape());
      double total = 0;
      for (float v : ops.read(partial)) {
        total += v;
      }
      return total;
    }
  }

  void multiply(Tensor a, Tensor b, Tensor out) {
    Launch l = ops.launch("elementwise.cl", "multiply_v1");
    l.args().tensor(ops.cl(a)).tensor(ops.cl(b)).tensor(ops.cl(out)).i(a.shape().size());
    l.linear(a.shape().size(), () -> "multiply " + a.shape());
  }

  void dropout(Tensor input, Tensor output, Tensor mask, float p, long seed) {
    int n = input.shape().size();
    Launch l = ops.launch("elementwise.cl", "dropout_forward_v1");
    l.args().tensor(ops.cl(input)).tensor(ops.cl(output)).tensor(ops.cl(mask));
    l.args().i(n).f(p).ul(seed).f(1f / (1f - p));
    l.linear(n, () -> "dropoutForward " + input.shape() + " p " + p);
  }

  void activationForward(Activation f, Tensor input, Tensor output) {
    int n = input.shape().size();
    Launch l = ops.launch("activation.cl", "activation_forward_v1");
    l.args().tensor(ops.cl(input)).tensor(ops.cl(output)).i(n).i(code(f)).f(f.alpha());
    l.linear(n, () -> "activationForward " + f.kind() + " " + input.shape());
  }

  void activationBackward(
      Activation f, Tensor input, Tensor output, Tensor gradOutput, Tensor gradInput) {
    int n = input.shape().size();
    Launch l = ops.launch("activation.cl", "activation_backward_v1");
    l.args().tensor(ops.cl(input)).tensor(ops.cl(output));
    l.args().tensor(ops.cl(gradOutput)).tensor(ops.cl(gradInput));
    l.args().i(n).i(code(f)).f(f.alpha());
    l.linear(n, () -> "activationBackward " + f.kind() + " " + input.shape());
  }

  /** The {@code kind} codes of opencl/activation.cl (and of common.cl's fused EPILOGUE). */
  static int code(Activation f) {
    return switch (f.kind()) {
      case RELU -> 0;
      case LEAKY_RELU -> 1;
      case TANH -> 2;
      case SIGMOID -> 3;
    };
  }

  void sgd(Tensor param, Tensor grad, Tensor velocity, SgdConfig c) {
    int n = param.shape().size();
    Launch l = ops.launch("optimizer.cl", "sgd_update_v1");
    l.args().tensor(ops.cl(param)).tensor(ops.cl(grad));
    // As CpuOps: the velocity takes part only with a momentum (momentum 0 is plain SGD).
    boolean useVelocity = velocity != null && c.momentum() > 0;
    l.args().mem(useVelocity ? ops.cl(velocity).buffer() : ops.dummy()).bool(useVelocity);
    l.args().i(n).f(c.learningRate()).f(c.momentum()).bool(c.nesterov()).f(c.weightDecay());
    l.linear(n, () -> "sgdUpdate " + param.shape());
  }

  void adam(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig c, int t) {
    int n = param.shape().size();
    Launch l = ops.launch("optimizer.cl", "adam_update_v1");
    l.args().tensor(ops.cl(param)).tensor(ops.cl(grad)).tensor(ops.cl(m)).tensor(ops.cl(v));
    l.args().i(n).f(c.learningRate()).f(c.beta1()).f(c.beta2()).f(c.epsilon());
    l.args().f(c.weightDecay()).f(AdamCorrection.first(c, t)).f(AdamCorrection.second(c, t));
    l.linear(n, () -> "adamUpdate " + param.shape() + " t " + t);
  }
}
