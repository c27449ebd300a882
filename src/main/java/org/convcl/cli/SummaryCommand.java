package org.convcl.cli;

import java.util.concurrent.Callable;
import org.convcl.cpu.CpuOps;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Models;
import org.convcl.nn.Sequential;
import org.convcl.nn.Shapes;
import org.convcl.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code convcl summary}: per-layer shapes, parameters and FLOPs of a model. */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description =
        "Print a model's layers with output shape, parameter count and forward FLOPs per image.")
final class SummaryCommand implements Callable<Integer> {
  private final Io io;

  @Option(
      names = "--model",
      paramLabel = "NAME|SPEC",
      description = "lenet, cifar or a spec (default lenet)")
  String model = "lenet";

  @Option(
      names = "--input",
      paramLabel = "CxHxW",
      description = "input image shape (default: the built-in model's, else 1x28x28)")
  String input;

  SummaryCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    Shape designed = Models.designedInput(model);
    Shape item =
        input != null
            ? UsageException.parsing("--input", input, () -> Shapes.parse(input))
            : designed != null ? designed : Shape.of(1, 28, 28);
    // Weights are allocated to count them; the CPU backend needs no device for that.
    try (CpuOps ops = new CpuOps();
        Sequential m = ModelSpec.build(ops, Models.spec(model), item, 1)) {
      io.out().print(m.summary().format());
      return 0;
    }
  }
}
