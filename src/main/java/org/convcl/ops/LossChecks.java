package org.convcl.ops;

import static org.convcl.ops.OpsChecks.in;
import static org.convcl.ops.OpsChecks.noAlias;

import java.util.List;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The argument rules of softmax, cross-entropy and argmax: shapes, types, ownership and aliasing,
 * checked by the {@link Ops} method of the same name before it calls the backend. Messages name the
 * op, the parameter and the value.
 */
final class LossChecks {
  private LossChecks() {}

  static void softmaxForward(OpsChecks check, Tensor logits, Tensor probs) {
    Shape z = check.matrix("softmaxForward", "logits", logits);
    check.floats("softmaxForward", "probs", probs, z);
    noAlias("softmaxForward", "probs", probs, in("logits", logits));
  }

  static void softmaxCrossEntropyForward(
      OpsChecks check, Tensor logits, Tensor labels, Tensor probs, Tensor losses) {
    Shape z = check.matrix("softmaxCrossEntropyForward", "logits", logits);
    check.ints("softmaxCrossEntropyForward", "labels", labels, Shape.of(z.dim(0)));
    check.floats("softmaxCrossEntropyForward", "probs", probs, z);
    check.floats("softmaxCrossEntropyForward", "losses", losses, Shape.of(z.dim(0)));
    noAlias(
        "softmaxCrossEntropyForward",
        List.of(in("probs", probs), in("losses", losses)),
        in("logits", logits),
        in("labels", labels));
  }

  static void softmaxCrossEntropyBackward(
      OpsChecks check, Tensor probs, Tensor labels, float scale, Tensor gradLogits) {
    Shape p = check.matrix("softmaxCrossEntropyBackward", "probs", probs);
    check.ints("softmaxCrossEntropyBackward", "labels", labels, Shape.of(p.dim(0)));
    check.floats("softmaxCrossEntropyBackward", "gradLogits", gradLogits, p);
    noAlias(
        "softmaxCrossEntropyBackward",
        "gradLogits",
        gradLogits,
        in("probs", probs),
        in("labels", labels));
  }

  static void argmaxRows(OpsChecks check, Tensor x, Tensor out) {
    Shape s = check.matrix("argmaxRows", "x", x);
    check.ints("argmaxRows", "out", out, Shape.of(s.dim(0)));
    noAlias("argmaxRows", "out", out, in("x", x));
  }
}
