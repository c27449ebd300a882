package org.convcl.cli;

import java.util.concurrent.Callable;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Models;
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
    // Counted from the shapes: no weights are made, so any model that fits the limits summarises.
    io.out().print(ModelSpec.summary(Models.spec(model), item).format());
    return 0;
  }
}
