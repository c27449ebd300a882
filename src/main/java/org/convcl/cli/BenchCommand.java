package org.convcl.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.convcl.bench.Bench;
import org.convcl.bench.BenchResult;
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

  BenchCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.applyLogLevel();
    if (!(peak > 0) || !Double.isFinite(peak)) {
      throw new UsageException("--peak = " + peak + ": must be a finite number above 0");
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
}
