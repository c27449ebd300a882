package org.convcl.train;

import java.util.List;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.convcl.data.Dataset;
import org.convcl.data.Normalization;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.tensor.Require;

/** Loss and accuracy of a model in inference mode over a data set. */
public final class Evaluator {
  private Evaluator() {}

  public static EvalResult evaluate(
      Sequential model, Dataset d, Normalization norm, int batchSize) {
    return evaluate(model, d, norm, batchSize, images -> {});
  }

  /**
   * As {@link #evaluate(Sequential, Dataset, Normalization, int)}, telling {@code imagesDone} after
   * each batch how many images it finished (the last batch may be short), e.g. for a progress bar.
   */
  public static EvalResult evaluate(
      Sequential model, Dataset d, Normalization norm, int batchSize, IntConsumer imagesDone) {
    int batch = Math.min(batchSize, d.size());
    int classes = model.outputItem().size();
    try (BatchTensors b = new BatchTensors(model.ops(), batch, model.inputItem(), classes)) {
      return evaluate(model, d, norm, b, imagesDone, null);
    }
  }

  /**
   * As {@link #evaluate(Sequential, Dataset, Normalization, int, IntConsumer)} for a model trained
   * on {@code classNames} (a checkpoint's): the data must number the same classes the same way, or
   * its labels would be compared with the wrong outputs.
   */
  public static EvalResult evaluate(
      Sequential model,
      Dataset d,
      Normalization norm,
      int batchSize,
      List<String> classNames,
      IntConsumer imagesDone) {
    requireClasses(d, classNames);
    return evaluate(model, d, norm, batchSize, imagesDone);
  }

  private static void requireClasses(Dataset d, List<String> classNames) {
    Require.that(
        d.classNames().equals(classNames),
        "classes of " + d.name(),
        d.classNames(),
        "must equal the model's classes " + classNames);
  }

  static EvalResult evaluate(Sequential model, Dataset d, Normalization norm, BatchTensors b) {
    return evaluate(model, d, norm, b, images -> {}, null);
  }

  /**
   * The full evaluation of {@code d}: confusion matrix, per-class precision and recall, top-k
   * accuracy (k up to 5) and loss; {@code imagesDone} hears of each batch as in {@link
   * #evaluate(Sequential, Dataset, Normalization, int, IntConsumer)}.
   *
   * @param model the model, in inference mode
   * @param d labelled images of the model's input shape, numbering {@code classNames}
   * @param norm the input normalisation
   * @param batchSize images per forward pass
   * @param classNames the model's classes; the data must number the same ones
   * @param imagesDone told how many images each batch finished
   * @return the report
   */
  public static EvalReport report(
      Sequential model,
      Dataset d,
      Normalization norm,
      int batchSize,
      List<String> classNames,
      IntConsumer imagesDone) {
    requireClasses(d, classNames);
    int batch = Math.min(batchSize, d.size());
    int classes = model.outputItem().size();
    Tally tally = new Tally(classes, Math.min(5, classes));
    try (BatchTensors b = new BatchTensors(model.ops(), batch, model.inputItem(), classes)) {
      EvalResult r = evaluate(model, d, norm, b, imagesDone, tally);
      return new EvalReport(classNames, tally.confusion, tally.topK, r.loss(), r.imagesPerSecond());
    }
  }

  /** Confusion counts and top-k hits, gathered batch by batch from the probabilities. */
  private static final class Tally {
    final long[][] confusion;
    final long[] topK;

    Tally(int classes, int maxK) {
      confusion = new long[classes][classes];
      topK = new long[maxK];
    }

    void add(float[] probs, int[] labels, int valid, int classes) {
      for (int i = 0; i < valid; i++) {
        int label = labels[i];
        float own = probs[i * classes + label];
        int best = 0;
        int above = 0;
        for (int c = 0; c < classes; c++) {
          float p = probs[i * classes + c];
          if (p > probs[i * classes + best]) {
            best = c;
          }
          // Ties count against the true class, so top-k never flatters.
          if (c != label && p >= own) {
            above++;
          }
        }
        confusion[label][best]++;
        for (int k = above; k < topK.length; k++) {
          topK[k]++;
        }
      }
    }
  }

  /**
   * Runs {@code d} in batches of {@code b.size}; the last, partial batch is padded with stale rows
   * whose results are ignored, so no buffer is re-allocated.
   */
  private static EvalResult evaluate(
      Sequential model,
      Dataset d,
      Normalization norm,
      BatchTensors b,
      IntConsumer imagesDone,
      Tally tally) {
    Require.that(
        d.itemShape().equals(model.inputItem()),
        "evaluation images",
        d.itemShape(),
        "must match the model input " + model.inputItem());
    Require.that(
        d.classes() <= model.outputItem().size(),
        "data classes",
        d.classes(),
        "must not exceed the model outputs " + model.outputItem());
    Ops ops = model.ops();
    int[] order = IntStream.range(0, d.size()).toArray();
    double lossSum = 0;
    long correct = 0;
    long t0 = System.nanoTime();
    for (int from = 0; from < d.size(); from += b.size) {
      int valid = Math.min(b.size, d.size() - from);
      d.fill(order, from, valid, norm, b.hostImages, b.hostLabels);
      b.upload(ops);
      var logits = model.forward(b.images, false);
      ops.softmaxCrossEntropyForward(logits, b.labels, b.probs, b.losses);
      ops.argmaxRows(logits, b.predictions);
      float[] losses = ops.read(b.losses);
      for (int i = 0; i < valid; i++) {
        lossSum += losses[i];
      }
      correct += countCorrect(ops, b, valid);
      if (tally != null) {
        tally.add(ops.read(b.probs), b.hostLabels, valid, model.outputItem().size());
      }
      imagesDone.accept(valid);
    }
    double seconds = Math.max((System.nanoTime() - t0) / 1e9, 1e-9);
    return new EvalResult(
        d.size(), lossSum / d.size(), (double) correct / d.size(), d.size() / seconds);
  }

  /** How many of the first {@code valid} predictions equal the staged labels. */
  static long countCorrect(Ops ops, BatchTensors b, int valid) {
    return countCorrect(ops.readInts(b.predictions), b, valid);
  }

  /** How many of the first {@code valid} of {@code predicted} equal the staged labels. */
  static long countCorrect(int[] predicted, BatchTensors b, int valid) {
    long c = 0;
    for (int i = 0; i < valid; i++) {
      if (predicted[i] == b.hostLabels[i]) {
        c++;
      }
    }
    return c;
  }
}
