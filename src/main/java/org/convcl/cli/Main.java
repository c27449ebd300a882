package org.convcl.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
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
      SummaryCommand.class,
      ExplainCommand.class,
      DevicesCommand.class,
      BenchCommand.class,
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
    cl.setExecutionExceptionHandler(Main::failure);
    return cl.execute(args);
  }

  /**
   * A bad argument value found during execution (a model spec, a range) is a usage error (2);
   * anything else is a failure (1). Either way the user gets one message, not a stack trace.
   */
  private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    err.println("convcl " + cl.getCommandName() + ": " + e.getMessage());
    if (e instanceof IllegalArgumentException) {
      err.println("Try 'convcl " + cl.getCommandName() + " --help' for the options.");
      return 2;
    }
    if (Boolean.getBoolean("convcl.stacktrace")) {
      e.printStackTrace(err);
    }
    return 1;
  }

  @Override
  public void run() {
    // Without a subcommand: show the usage, which lists them.
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "a command is required: train, eval, predict, summary, explain, devices or bench");
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
