package org.convcl.train;

import java.util.Arrays;
import java.util.function.IntFunction;
import org.convcl.data.Normalization;
import org.convcl.nn.Sequential;
import org.convcl.nn.Shapes;
import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/** Class probabilities of many images, a batch of them per forward pass (inference mode). */
final class BatchPredictor {
  /** Images per forward pass: enough to keep a device busy, few enough for any memory. */
  static final int BATCH = 256;

  private BatchPredictor() {}

  /**
   * The softmax of the logits of images {@code 0 .. n-1}, each given as bytes {@code [C][H][W]} by
   * {@code image}.
   */
  static float[][] probabilities(
      Sequential model, Normalization norm, int n, IntFunction<byte[]> image) {
    return probabilities(model, norm, n, image, BATCH);
  }

  /** As above, {@code batch} images per forward pass. */
  static float[][] probabilities(
      Sequential model, Normalization norm, int n, IntFunction<byte[]> image, int batch) {
    Shape item = model.inputItem();
    int plane = item.dim(1) * item.dim(2);
    int k = model.outputItem().size();
    float[][] out = new float[n][];
    if (n == 0) {
      return out;
    }
    int b = Math.min(batch, n);
    Ops ops = model.ops();
    float[] host = new float[b * item.size()];
    try (Tensor x = ops.allocate(Shapes.batch(b, item), DType.FLOAT32);
        Tensor p = ops.allocate(Shape.of(b, k), DType.FLOAT32)) {
      for (int from = 0; from < n; from += b) {
        // A short last batch keeps the previous rows; their results are not read.
        int count = Math.min(b, n - from);
        for (int i = 0; i < count; i++) {
          byte[] px = image.apply(from + i);
          Require.that(
              px.length == item.size(),
              "pixels of image " + (from + i),
              px.length,
              "must be " + item.size() + " (" + item + ")");
          norm.apply(px, 0, host, i * item.size(), item.dim(0), plane);
        }
        ops.write(x, host);
        ops.softmaxForward(model.forward(x, false), p);
        float[] flat = ops.read(p);
        for (int i = 0; i < count; i++) {
          out[from + i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
        }
      }
    }
    return out;
  }

  /** The index of the largest value (the first on ties). */
  static int argmax(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }
}
