package org.convcl.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.convcl.ops.Ops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code convcl tune}: for each convolution of a model and each pass, times every applicable
 * implementation and setting on the device, checks each against the reference backend, and writes
 * the fastest to the device's choice table in the user cache.
 */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description = {
      "Find the fastest implementation of each convolution pass of a model on a device, checking"
          + " every candidate against the reference backend, and save the winners to the device's"
          + " choice table (in the cache directory: $CONVCL_CACHE_DIR, else ~/.cache/convcl)."
    })
final class TuneCommand implements Callable<Integer> {
  private final Io io;

  @Mixin CommonOptions common;

  @Option(
      names = "--model",
      paramLabel = "NAME|SPEC",
      description = "lenet (default), cifar, or a model spec")
  String model = "lenet";

  @Option(
      names = "--input",
      paramLabel = "CxHxW",
      description = "the input image shape (default: the model's, else 3x32x32)")
  String input;

  @Option(names = "--batch", description = "batch size of the tuned shapes (default 64)")
  int batch = 64;

  @Option(
      names = "--budget",
      paramLabel = "SECONDS",
      description = "time limit for the whole run (default 60)")
  double budget = 60;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  TuneCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    common.applyLogLevel();
    if (batch < 1) {
      throw new UsageException("--batch = " + batch + ": must be at least 1");
    }
    if (!(budget > 0) || !Double.isFinite(budget)) {
      throw new UsageException("--budget = " + budget + ": must be a number of seconds above 0");
    }
    ModelInput m = ModelInput.resolve(model, input);
    try (Ops ops = common.openDevice()) {
      TuneRun.run(
          io,
          io.out(),
          ops,
          m.spec(),
          m.item(),
          batch,
          Duration.ofMillis((long) (budget * 1000)),
          !noProgress && !common.quiet);
    }
    return 0;
  }
}
