package org.convcl.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.convcl.nn.explain.ConvExplainer;
import org.convcl.nn.explain.PoolExplainer;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code convcl explain conv|maxpool}: a small layer's sums written out in the notes' notation. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "Spell out a small convolution or max pool: every output and gradient entry as its sum.",
    subcommands = {ExplainCommand.Conv.class, ExplainCommand.MaxPool.class})
final class ExplainCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "say what to explain: conv or maxpool");
  }

  /**
   * Shared geometry options and the run of both subcommands: print {@link #lines}, turning a broken
   * rule into a usage error. Sizes are {@code A} or {@code AxB} (rows x columns).
   */
  abstract static class Geometry implements Callable<Integer> {
    /**
     * The largest size, stride, padding or dilation explained: the text grows with the product of
     * the sizes, and a page of sums is only readable for small layers.
     */
    static final int LIMIT = 32;

    @Option(names = "--input", paramLabel = "HxW", description = "input size (default 3x3)")
    String input = "3x3";

    @Option(names = "--kernel", paramLabel = "RxS", description = "window size (default 2x2)")
    String kernel = "2x2";

    @Option(
        names = "--stride",
        paramLabel = "S|SHxSW",
        description = "default 1 (conv) or the kernel (maxpool)")
    String stride;

    @Option(names = "--padding", paramLabel = "P|PHxPW", description = "zero padding (default 0)")
    String padding = "0";

    private final Io io;

    Geometry(Io io) {
      this.io = io;
    }

    @Override
    public final Integer call() {
      print(io, UsageException.from(this::lines));
      return 0;
    }

    /** The explanation, one line each; throws IllegalArgumentException for a broken rule. */
    abstract List<String> lines();

    static int[] pair(String option, String text) {
      int[] v = parsePair(option, text);
      for (int x : v) {
        if (x > LIMIT) {
          throw new UsageException(
              option
                  + " = "
                  + text
                  + ": explain is for small layers; sizes are at most "
                  + LIMIT
                  + " (e.g. a "
                  + LIMIT
                  + "x"
                  + LIMIT
                  + " input)");
        }
      }
      return v;
    }

    private static int[] parsePair(String option, String text) {
      String[] p = text.trim().split("x", -1);
      try {
        if (p.length == 1) {
          int v = Integer.parseInt(p[0]);
          return new int[] {v, v};
        }
        if (p.length == 2) {
          return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
      throw new UsageException(option + " = " + text + ": must be N or AxB, e.g. 3x3");
    }
  }

  @Command(
      name = "conv",
      mixinStandardHelpOptions = true,
      description = "Explain a single-channel convolution.")
  static final class Conv extends Geometry {
    @Option(names = "--dilation", paramLabel = "D|DHxDW", description = "default 1")
    String dilation = "1";

    Conv(Io io) {
      super(io);
    }

    @Override
    List<String> lines() {
      int[] in = pair("--input", input);
      int[] k = pair("--kernel", kernel);
      int[] s = pair("--stride", stride == null ? "1" : stride);
      int[] p = pair("--padding", padding);
      int[] d = pair("--dilation", dilation);
      ConvParams params =
          new ConvParams(k[0], k[1], s[0], s[1], Padding.of(p[0], p[1]), d[0], d[1], 1, false);
      return new ConvExplainer(in[0], in[1], params).lines();
    }
  }

  @Command(
      name = "maxpool",
      mixinStandardHelpOptions = true,
      description = "Explain a max pool and where its gradients go.")
  static final class MaxPool extends Geometry {
    @Option(
        names = "--values",
        split = ",",
        paramLabel = "V",
        description = "input values row by row, to show the actual routes")
    float[] values;

    MaxPool(Io io) {
      super(io);
    }

    @Override
    List<String> lines() {
      int[] in = pair("--input", input);
      int[] k = pair("--kernel", kernel);
      int[] s = stride == null ? k : pair("--stride", stride);
      int[] p = pair("--padding", padding);
      PoolParams params =
          new PoolParams(k[0], k[1], s[0], s[1], Padding.of(p[0], p[1]), false, true);
      return new PoolExplainer(in[0], in[1], params, values).lines();
    }
  }

  static void print(Io io, List<String> lines) {
    lines.forEach(io.out()::println);
  }
}
