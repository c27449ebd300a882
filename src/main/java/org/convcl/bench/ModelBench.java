package org.convcl.bench;

import java.util.Random;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Sequential;
import org.convcl.nn.Shapes;
import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.train.Optimizer;

/**
 * {@code convcl bench --model}: training steps of a model on random data, as the trainer runs them
 * (upload the batch, forward, softmax cross-entropy, read the loss, backward, SGD with momentum),
 * profiled per layer by a {@link StepProfiler}.
 */
public final class ModelBench {
  private ModelBench() {}

  public static StepProfile profile(
      Ops ops, String spec, Shape inputItem, int batch, int warmup, int steps, long seed) {
    Random r = new Random(seed);
    try (Sequential model = ModelSpec.build(ops, spec, inputItem, seed);
        Optimizer sgd = Optimizer.sgd(0.01).withMomentum(0.9).create()) {
      int classes = model.outputItem().size();
      Shape logits = Shape.of(batch, classes);
      float[] images = new float[batch * inputItem.size()];
      for (int i = 0; i < images.length; i++) {
        images[i] = r.nextFloat();
      }
      int[] labels = new int[batch];
      for (int i = 0; i < batch; i++) {
        labels[i] = r.nextInt(classes);
      }
      Shape imageShape = Shapes.batch(batch, inputItem);
      try (Tensor x = ops.allocate(imageShape, DType.FLOAT32);
          Tensor y = ops.uploadInts(Shape.of(batch), labels);
          Tensor probs = ops.allocate(logits, DType.FLOAT32);
          Tensor losses = ops.allocate(Shape.of(batch), DType.FLOAT32);
          Tensor predicted = ops.allocate(Shape.of(batch), DType.INT32);
          Tensor grad = ops.allocate(logits, DType.FLOAT32)) {
        StepProfiler profiler = new StepProfiler(model, batch, warmup);
        model.probe(profiler);
        for (int s = 0; s < warmup + steps; s++) {
          ops.write(x, images);
          Tensor z = model.forward(x, true);
          ops.softmaxCrossEntropyForward(z, y, probs, losses);
          ops.sum(losses);
          ops.argmaxRows(z, predicted);
          ops.softmaxCrossEntropyBackward(probs, y, 1f / batch, grad);
          model.backward(grad);
          sgd.step(ops, model.params(), 0.01f);
          profiler.stepDone();
        }
        model.probe(null);
        return profiler.report();
      }
    }
  }
}
