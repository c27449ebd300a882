package org.convcl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.convcl.data.DataSources;
import org.convcl.data.Dataset;
import org.convcl.data.Split;
import org.convcl.ops.Ops;
import org.convcl.train.EvalReport;
import org.convcl.train.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code convcl eval}: loss, accuracy, top-k accuracy, per-class precision and recall and the
 * confusion matrix of a checkpoint on a data set, with the matrix also drawn as a PNG.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a checkpoint on the test (or training) images: loss, accuracy, top-k accuracy,"
          + " per-class precision and recall, and the confusion matrix (also written as a PNG)."
    })
final class EvalCommand implements Callable<Integer> {
  private final Io io;

  @Mixin CheckpointOptions model;

  @Option(
      names = "--data",
      paramLabel = "SOURCE",
      description = "default: the data the checkpoint was trained on")
  String data;

  @Option(names = "--split", description = "test or train (default test)")
  String split = "test";

  @Option(names = "--batch", description = "batch size (default 256)")
  int batch = 256;

  @Option(names = "--json", description = "print the result as one line of JSON")
  boolean json;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  @Option(
      names = "--confusion-png",
      paramLabel = "FILE",
      description =
          "where the confusion-matrix picture goes (default confusion-SPLIT.png beside"
              + " the checkpoint)")
  Path confusionPng;

  EvalCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    if (!split.equals("test") && !split.equals("train")) {
      throw new UsageException("--split = " + split + ": must be test or train");
    }
    if (batch < 1) {
      throw new UsageException("--batch = " + batch + ": must be at least 1");
    }
    try (Ops ops = model.openDevice();
        Restored r = model.restore(ops)) {
      String source = data != null ? data : r.checkpoint().settings().getOrDefault("data", "mnist");
      List<String> classes = r.checkpoint().classNames();
      Split s = DataSources.load(source, r.checkpoint().inputItem(), classes);
      Dataset d = split.equals("test") ? s.test() : s.train();
      EvalReport e;
      // The bar goes to stderr, as train's does, so --json output on stdout stays one clean line.
      try (ProgressPrinter progress =
          ProgressPrinter.forCommand(io, !noProgress && !model.common.quiet, 0)) {
        IntConsumer bar = progress.evaluation("eval " + split, d.size());
        e = Evaluator.report(r.model(), d, r.checkpoint().normalization(), batch, classes, bar);
      }
      Path png =
          confusionPng != null
              ? confusionPng
              : r.file().toAbsolutePath().resolveSibling("confusion-" + split + ".png");
      ConfusionPng.write(e, source + " " + split + ": " + r.file().getFileName(), png);
      if (json) {
        io.out().println(json(e, ops.name(), png));
      } else {
        io.out()
            .printf(
                Locale.ROOT,
                "%s %s: accuracy %.2f%% (%d images), top-%d %.2f%%, loss %s, %.0f img/s on %s%n",
                source,
                split,
                100 * e.accuracy(),
                e.images(),
                e.maxK(),
                100 * e.topK(e.maxK()),
                ProgressPrinter.loss(e.loss()),
                e.imagesPerSecond(),
                ops.name());
        io.out().print(EvalTables.perClass(e));
        io.out().print(EvalTables.confusion(e));
        io.out().println("confusion matrix picture: " + png);
      }
      return 0;
    }
  }

  private static Json json(EvalReport e, String device, Path png) {
    Json topK = new Json();
    for (int k = 1; k <= e.maxK(); k++) {
      topK.put("top_" + k, e.topK(k));
    }
    List<Json> perClass = new java.util.ArrayList<>();
    for (int c = 0; c < e.classNames().size(); c++) {
      perClass.add(
          new Json()
              .put("class", e.classNames().get(c))
              .put("precision", e.precision(c))
              .put("recall", e.recall(c))
              .put("support", e.support(c)));
    }
    return new Json()
        .put("accuracy", e.accuracy())
        .put("loss", e.loss())
        .put("images", e.images())
        .put("images_per_second", e.imagesPerSecond())
        .put("device", device)
        .put("top_k", topK)
        .put("per_class", perClass)
        .put("confusion", e.confusion())
        .put("confusion_png", png.toString());
  }
}
