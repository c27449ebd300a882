package org.convcl.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.convcl.data.Dataset;
import org.convcl.data.Normalization;
import org.convcl.data.Split;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Models;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * The library's front door: an image classifier — a model, its class names and its input
 * normalisation — that is built, trained, evaluated, saved and asked for predictions in a few calls
 * (README.md shows them). It runs on whatever backend {@code ops} is and owns the model; close it
 * before the backend.
 */
public final class Classifier implements AutoCloseable {
  private static final int EVAL_BATCH = 64;

  private final Sequential model;
  private final List<String> classNames;
  private Normalization norm;
  private int epochs;
  private long steps;
  private long seed;

  private Classifier(Sequential model, List<String> classNames, long seed) {
    this.model = model;
    this.classNames = List.copyOf(classNames);
    this.norm = Normalization.identity(model.inputItem().dim(0));
    this.seed = seed;
  }

  /**
   * A new, untrained classifier. {@code model} is a built-in name ({@code lenet}, {@code cifar}) or
   * a model spec such as {@code conv5x5x20-relu-maxpool2-dense10} (docs/model-spec.md); its last
   * layer must have one output per class. Weights are initialised from {@code seed}.
   */
  public static Classifier create(
      Ops ops, String model, Shape inputItem, List<String> classNames, long seed) {
    Sequential m = ModelSpec.build(ops, Models.spec(model), inputItem, seed);
    if (m.outputItem().size() != classNames.size()) {
      m.close();
      Require.that(
          false,
          "model outputs",
          m.outputItem(),
          "must equal the number of classes " + classNames.size());
    }
    return new Classifier(m, classNames, seed);
  }

  /**
   * Trains on {@code data.train()} and tests on {@code data.test()} after every epoch, returning
   * one line of metrics per epoch. The per-channel normalisation is measured on the training set
   * and kept for evaluation and prediction. With a run directory in {@code config}, every epoch
   * also appends to {@code metrics.csv} and writes an atomic checkpoint there (with the optimizer
   * state, so {@code convcl train --resume} can continue it).
   */
  public List<EpochMetrics> fit(Split data, TrainConfig config) {
    norm = Normalization.of(data.train());
    seed = config.seed();
    // The trainer closes the optimizer; its state lives on only in the run's checkpoints.
    try (Trainer t =
        new Trainer(
            model, config.optimizer().create(), config, norm, classNames, settings(), null)) {
      List<EpochMetrics> m = t.fit(data, 0, 0);
      epochs = m.isEmpty() ? 0 : m.get(m.size() - 1).epoch();
      steps = t.steps();
      return m;
    }
  }

  /** Loss and accuracy on {@code d}, in inference mode. */
  public EvalResult evaluate(Dataset d) {
    return Evaluator.evaluate(model, d, norm, EVAL_BATCH);
  }

  /** Class probabilities of one image given as unsigned bytes {@code [C][H][W]} (0 = black). */
  public float[] probabilities(byte[] pixels) {
    Shape item = model.inputItem();
    Require.that(
        pixels.length == item.size(),
        "image pixels",
        pixels.length,
        "must be " + item.size() + " (" + item + ")");
    float[] x = new float[item.size()];
    norm.apply(pixels, 0, x, 0, item.dim(0), item.dim(1) * item.dim(2));
    Ops ops = model.ops();
    int k = classNames.size();
    try (Tensor input = ops.upload(batchOfOne(item), x);
        Tensor probs = ops.allocate(Shape.of(1, k), DType.FLOAT32)) {
      ops.softmaxForward(model.forward(input, false), probs);
      return ops.read(probs);
    }
  }

  /** The most probable class of one image (see {@link #probabilities}). */
  public String predict(byte[] pixels) {
    float[] p = probabilities(pixels);
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return classNames.get(best);
  }

  /**
   * Writes the weights, class names and normalisation as a checkpoint ({@code convcl eval} and
   * {@code convcl predict} read it), atomically: a crash leaves the old file or the new one.
   */
  public void save(Path file) throws IOException {
    CheckpointIO.write(
        file, Checkpoint.capture(model, null, classNames, norm, epochs, steps, seed, settings()));
  }

  private Map<String, String> settings() {
    return Map.of("model", model.spec(), "seed", Long.toString(seed));
  }

  public Sequential model() {
    return model;
  }

  public List<String> classNames() {
    return classNames;
  }

  private static Shape batchOfOne(Shape item) {
    int[] d = new int[item.rank() + 1];
    d[0] = 1;
    System.arraycopy(item.dims(), 0, d, 1, item.rank());
    return Shape.of(d);
  }

  @Override
  public void close() {
    model.close();
  }
}
