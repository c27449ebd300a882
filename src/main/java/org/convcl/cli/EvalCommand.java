package org.convcl.cli;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.convcl.data.DataSources;
import org.convcl.data.Dataset;
import org.convcl.data.Split;
import org.convcl.ops.Ops;
import org.convcl.train.EvalResult;
import org.convcl.train.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code convcl eval}: loss and accuracy of a checkpoint on a data set. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate a checkpoint: mean loss and accuracy on the test (or training) images.")
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
      EvalResult e;
      // The bar goes to stderr, as train's does, so --json output on stdout stays one clean line.
      try (ProgressPrinter progress =
          new ProgressPrinter(io.out(), io.err(), !noProgress && !model.common.quiet, 0)) {
        IntConsumer bar = progress.evaluation("eval " + split, d.size());
        e = Evaluator.evaluate(r.model(), d, r.checkpoint().normalization(), batch, classes, bar);
      }
      if (json) {
        io.out()
            .println(
                new Json()
                    .put("accuracy", e.accuracy())
                    .put("loss", e.loss())
                    .put("images", e.images())
                    .put("images_per_second", e.imagesPerSecond())
                    .put("device", ops.name()));
      } else {
        io.out()
            .printf(
                Locale.ROOT,
                "%s %s: accuracy %.2f%% (%d images), loss %s, %.0f img/s on %s%n",
                source,
                split,
                100 * e.accuracy(),
                e.images(),
                ProgressPrinter.loss(e.loss()),
                e.imagesPerSecond(),
                ops.name());
      }
      return 0;
    }
  }
}
