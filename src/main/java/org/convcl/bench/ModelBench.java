package org.convcl.bench;

import java.util.Arrays;
import java.util.Locale;
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
 * profiled per layer by a {@link StepProfiler}; or, with {@code --inference}, batches of inference
 * as a predictor runs them.
 */
public final class ModelBench {
  private ModelBench() {}

  /**
   * Inference figures: the per-layer profile of the forward passes, and the median time of a batch
   * run without the profiler (whose waits between layers would slow it).
   */
  public record Inference(StepProfile profile, int batch, int batches, double medianBatchMs) {
    public double imagesPerSecond() {
      return batch / (medianBatchMs / 1000);
    }

    public String format() {
      return profile.format()
          + String.format(
              Locale.ROOT,
              "inference: %.3f ms per batch of %d (median of %d, no profiler), %.0f images/s%n",
              medianBatchMs,
              batch,
              batches,
              imagesPerSecond());
    }
  }

  /**
   * Upload a batch, forward in evaluation mode, the predicted class of each image read back to the
   * host: {@code warmup} batches, then {@code steps} profiled per layer, then {@code steps} timed
   * on the wall clock without the probe.
   */
  public static Inference inference(
      Ops ops, String spec, Shape inputItem, int batch, int warmup, int steps, long seed) {
    try (Sequential model = ModelSpec.build(ops, spec, inputItem, seed);
        Tensor x = ops.allocate(Shapes.batch(batch, inputItem), DType.FLOAT32);
        Tensor predicted = ops.allocate(Shape.of(batch), DType.INT32)) {
      float[] images = randomImages(new Random(seed), batch * inputItem.size());
      StepProfiler profiler = new StepProfiler(model, batch, warmup);
      model.probe(profiler);
      for (int s = 0; s < warmup + steps; s++) {
        predict(ops, model, x, images, predicted);
        profiler.stepDone();
      }
      model.probe(null);
      double[] ms = new double[steps];
      for (int s = 0; s < steps; s++) {
        long t0 = System.nanoTime();
        predict(ops, model, x, images, predicted);
        ms[s] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      return new Inference(profiler.report(), batch, steps, ms[steps / 2]);
    }
  }

  private static void predict(
      Ops ops, Sequential model, Tensor x, float[] images, Tensor predicted) {
    ops.write(x, images);
    ops.argmaxRows(model.forward(x, false), predicted);
    ops.readInts(predicted);
  }

  private static float[] randomImages(Random r, int size) {
    float[] images = new float[size];
    for (int i = 0; i < images.length; i++) {
      images[i] = r.nextFloat();
    }
    return images;
  }

  public static StepProfile profile(
      Ops ops, String spec, Shape inputItem, int batch, int warmup, int steps, long seed) {
    Random r = new Random(seed);
    try (Sequential model = ModelSpec.build(ops, spec, inputItem, seed);
        Optimizer sgd = Optimizer.sgd(0.01).withMomentum(0.9).create()) {
      int classes = model.outputItem().size();
      Shape logits = Shape.of(batch, classes);
      float[] images = randomImages(r, batch * inputItem.size());
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
