package org.convcl.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.convcl.bench.Bench;
import org.convcl.bench.BenchResult;
import org.convcl.bench.ModelBench;
import org.convcl.bench.StepProfile;
import org.convcl.ops.Ops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code convcl bench}: times convolution and pooling, forward and backward, on a backend. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Time convolution and pooling (forward and both gradients) on the chosen device.")
final class BenchCommand implements Callable<Integer> {
  private final Io io;

  @Mixin CommonOptions common;

  @Option(names = "--quick", description = "fewer repetitions, for a first look")
  boolean quick;

  @Option(names = "--json", description = "one JSON object per line instead of a table")
  boolean json;

  @Option(
      names = "--peak",
      paramLabel = "GFLOPS",
      description =
          "the machine's fp32 peak for the '%% peak' column (default 180, the 2-core dev machine)")
  double peak = Bench.DEFAULT_PEAK_GFLOPS;

  @Option(
      names = "--model",
      paramLabel = "NAME|SPEC",
      description =
          "profile training steps of a model (lenet, cifar or a spec) per layer and pass instead")
  String model;

  @Option(
      names = "--input",
      paramLabel = "CxHxW",
      description = "with --model: the input image shape (default: the model's, else 3x32x32)")
  String input;

  @Option(
      names = "--batch",
      description = "with --model: batch size (default 64; with --inference 256)")
  Integer batch;

  @Option(
      names = "--inference",
      description =
          "with --model: time inference (forward in evaluation mode, predicted classes read back)"
              + " instead of training steps")
  boolean inference;

  @Option(names = "--steps", description = "with --model: profiled steps (default 20)")
  int steps = 20;

  BenchCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.applyLogLevel();
    if (!(peak > 0) || !Double.isFinite(peak)) {
      throw new UsageException("--peak = " + peak + ": must be a finite number above 0");
    }
    if (model != null) {
      return profileModel();
    }
    try (Ops ops = common.openDevice()) {
      List<BenchResult> results = Bench.run(ops, quick);
      if (json) {
        results.forEach(r -> io.out().println(Json.of(r)));
      } else {
        io.out().print(Bench.formatTable(results, peak));
      }
      return 0;
    }
  }

  private int profileModel() {
    int n = batch != null ? batch : inference ? 256 : 64;
    if (n < 1 || steps < 1) {
      throw new UsageException("--batch and --steps must be at least 1");
    }
    ModelInput m = ModelInput.resolve(model, input);
    String spec = m.spec();
    int warmup = quick ? 1 : 3;
    try (Ops ops = common.openDevice()) {
      if (inference) {
        ModelBench.Inference r = ModelBench.inference(ops, spec, m.item(), n, warmup, steps, 1);
        io.out().println("inference of " + spec + " on " + m.item() + " images:");
        io.out().print(r.format());
      } else {
        StepProfile p = ModelBench.profile(ops, spec, m.item(), n, warmup, steps, 1);
        io.out().println("training step of " + spec + " on " + m.item() + " images:");
        io.out().print(p.format());
      }
    }
    return 0;
  }
}
