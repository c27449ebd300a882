package org.convcl.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import org.convcl.data.DataSpecException;
import org.convcl.nn.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code convcl} command line. {@link #run} is the testable entry point (exit code 0 ok, 2
 * usage error, 1 failure); only {@link #main} exits the JVM.
 */
@Command(
    name = "convcl",
    mixinStandardHelpOptions = true,
    version = "convcl 0.1.0",
    description = "Train, evaluate and inspect convolutional networks on OpenCL or the CPU.",
    subcommands = {
      TrainCommand.class,
      EvalCommand.class,
      PredictCommand.class,
      ExportCommand.class,
      SummaryCommand.class,
      ExplainCommand.class,
      DevicesCommand.class,
      BenchCommand.class,
      TuneCommand.class,
      DoctorCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /**
   * The Logback configuration inside the CLI jar (the library jar must not carry a logback.xml).
   */
  static final String LOGBACK_CONFIG = "convcl-logback.xml";

  private final Io io;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  Main(Io io) {
    this.io = io;
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
    System.setProperty("java.awt.headless", "true");
    System.exit(run(System.out, System.err, args));
  }

  /** Runs one command line and returns its exit code. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    Io io = new Io(out, err);
    CommandLine cl = new CommandLine(new Main(io), new Factory(io));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler(Main::badParameter);
    cl.setExecutionExceptionHandler(Main::failure);
    try {
      return cl.execute(args);
    } catch (OutOfMemoryError e) {
      // Last resort: the heap is exhausted, but printing one short line still works.
      err.println(outOfMemory(e));
      return 1;
    }
  }

  /** The one line printed when the Java heap runs out. */
  static String outOfMemory(OutOfMemoryError e) {
    return "convcl: out of memory ("
        + e.getMessage()
        + "); try a smaller --batch, or give Java more heap with CONVCL_JAVA_OPTS=-Xmx8g";
  }

  /**
   * A usage error, found while parsing or by a command: the message, any "did you mean"
   * suggestions, and where to look; exit code 2.
   */
  private static int badParameter(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(prefix(cl) + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    return usageHint(cl);
  }

  /**
   * Option and spec errors found during execution are usage errors (2); anything else, a library
   * rule, a bad file or a device error, is a failure (1). Either way one message, no stack trace.
   */
  private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    if (e instanceof UsageException
        || e instanceof SpecException
        || e instanceof DataSpecException) {
      err.println(prefix(cl) + e.getMessage());
      return usageHint(cl);
    }
    err.println(prefix(cl) + describe(e));
    if (e instanceof org.convcl.ops.DeviceMemoryException) {
      // The library says "batch size" and "heap"; here are the options that set them.
      err.println(
          "The batch size is --batch; the launcher passes JVM options in CONVCL_JAVA_OPTS.");
    }
    if (Boolean.getBoolean("convcl.stacktrace")) {
      e.printStackTrace(err);
    }
    return 1;
  }

  private static int usageHint(CommandLine cl) {
    cl.getErr()
        .println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for the options.");
    return 2;
  }

  /** {@code convcl explain conv: }, the command as the user typed it. */
  private static String prefix(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName() + ": ";
  }

  /** What failed, in one line, even for exceptions whose message is only a path or absent. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + m;
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + m;
    }
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !m.contains(cause.getMessage())) {
      m += ": " + describe(cause);
    }
    return m.replace('\n', ' ');
  }

  @Override
  public void run() {
    // Without a subcommand: show the usage, which lists them.
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "a command is required: train, eval, predict, export, summary, explain, devices or bench");
  }

  /** Creates commands, passing the streams to those whose constructor takes an {@link Io}. */
  private record Factory(Io io) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        return cls.getDeclaredConstructor(Io.class).newInstance(io);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }
  }
}
