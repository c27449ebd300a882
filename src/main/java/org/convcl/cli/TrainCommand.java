package org.convcl.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convcl.data.DataSources;
import org.convcl.data.Normalization;
import org.convcl.data.Split;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Models;
import org.convcl.nn.Sequential;
import org.convcl.nn.Shapes;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.train.Checkpoint;
import org.convcl.train.CheckpointException;
import org.convcl.train.CheckpointIO;
import org.convcl.train.EpochCommit;
import org.convcl.train.EpochMetrics;
import org.convcl.train.Evaluator;
import org.convcl.train.LrSchedule;
import org.convcl.train.MetricsCsv;
import org.convcl.train.Optimizer;
import org.convcl.train.OptimizerConfig;
import org.convcl.train.OptimizerKind;
import org.convcl.train.TrainConfig;
import org.convcl.train.TrainListener;
import org.convcl.train.Trainer;
import org.convcl.train.TrainingDivergedException;
import org.convcl.train.TrainingInterruptedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code convcl train}: trains a model and leaves metrics, a chart and a checkpoint behind. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a model. With no options: LeNet on the bundled 8,000 MNIST digits, tested on the"
          + " 2,000 held-out ones.",
      "Writes metrics.csv, curves.png and checkpoint.ccl into the run directory."
    })
final class TrainCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

  private final Io io;

  @Mixin CommonOptions common;

  @Option(
      names = "--model",
      paramLabel = "NAME|SPEC",
      description =
          "lenet, cifar, or a spec such as conv5x5x20-relu-maxpool2-dense10 (default lenet)")
  String model;

  @Option(
      names = "--data",
      paramLabel = "SOURCE",
      description = "mnist (bundled), mnist:DIR, cifar10:DIR or folder:DIR (default mnist)")
  String data;

  @Option(
      names = "--input",
      paramLabel = "CxHxW",
      description =
          "image size that folder data is converted to (default: the model's, else 3x32x32)")
  String input;

  @Option(names = "--epochs", description = "epochs in total, counting resumed ones (default 4)")
  Integer epochs;

  @Option(names = "--batch", description = "batch size (default 64)")
  Integer batch;

  @Option(names = "--optimizer", description = "adam or sgd (default adam)")
  String optimizer;

  @Option(names = "--lr", description = "base learning rate (default 0.001 for adam, 0.03 for sgd)")
  Float lr;

  @Option(names = "--momentum", description = "SGD momentum (default 0.9)")
  Float momentum;

  @Option(
      names = "--nesterov",
      arity = "0..1",
      fallbackValue = "true",
      description = "Nesterov momentum for SGD")
  Boolean nesterov;

  @Option(names = "--weight-decay", description = "L2 weight decay (default 0)")
  Float weightDecay;

  @Option(
      names = "--schedule",
      description = "constant, step:EVERY:GAMMA or cosine (default cosine)")
  String schedule;

  @Option(names = "--seed", description = "seed of the weights, data order and dropout (default 1)")
  Long seed;

  @Option(
      names = "--train-limit",
      paramLabel = "N",
      description = "use only the first N training images")
  Integer trainLimit;

  @Option(
      names = "--test-limit",
      paramLabel = "N",
      description = "use only the first N test images")
  Integer testLimit;

  @Option(
      names = "--run-dir",
      paramLabel = "DIR",
      description =
          "where outputs go (default: a new runs/<date-time>); locked while the run lasts")
  Path runDir;

  @Option(
      names = "--resume",
      arity = "0..1",
      fallbackValue = "latest",
      paramLabel = "CKPT|DIR",
      description = "continue from a checkpoint, a run directory, or (alone) the newest run")
  String resume;

  @Option(
      names = "--overwrite",
      description = "replace the run that --run-dir already holds (without it, that is refused)")
  boolean overwrite;

  @Option(
      names = "--val-split",
      paramLabel = "FRACTION",
      description =
          "hold out this fraction of the training images (e.g. 0.1) for validation after every"
              + " epoch; the test set is then used once, at the end")
  Double valSplit;

  @Option(
      names = "--keep-best",
      arity = "0..1",
      fallbackValue = "true",
      description = "also keep the best epoch on the monitored metric as best.ccl, and end with it")
  Boolean keepBest;

  @Option(
      names = "--early-stopping",
      paramLabel = "PATIENCE",
      description = "stop after PATIENCE epochs without improvement of the monitored metric")
  Integer patience;

  @Option(
      names = "--monitor",
      description =
          "the held-out metric --keep-best, --early-stopping and plateau watch:"
              + " accuracy or loss (default accuracy)")
  String monitor;

  @Option(
      names = "--keep-partial-batch",
      arity = "0..1",
      fallbackValue = "true",
      description = "end each epoch with a short batch of the leftover images")
  Boolean keepPartialBatch;

  @Option(
      names = "--augment",
      description =
          "none, or crop:PADDING and/or flip joined by +, e.g. crop:4+flip (default none)")
  String augment;

  @Option(
      names = "--json",
      description = "print a one-line JSON summary at the end (epoch lines go to stderr)")
  boolean json;

  @Option(
      names = "--tune",
      description =
          "tune the model's convolutions on the device first (as convcl tune, budget 60 s)")
  boolean tune;

  @Option(
      names = "--profile",
      description =
          "profile the first steps per layer and pass (implementation, kernel and wall time,"
              + " GFLOP/s) and print the table")
  boolean profile;

  @Option(names = "--no-progress", description = "no progress bar")
  boolean noProgress;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  TrainCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    common.applyLogLevel();
    validate();
    Path resumedFile = resume == null ? null : Checkpoints.resolve(resume);
    Checkpoint resumed = resumedFile == null ? null : CheckpointIO.read(resumedFile);
    if (resumed != null) {
      requireSameModel(resumed);
    }
    Settings s = resumed == null ? new Settings() : new Settings(resumed.settings(), resumedFile);
    String modelSpec = Models.spec(s.text("model", model, "lenet"));
    String dataSpec = s.parsed("data", data, "mnist", DataSources::requireKnown);
    OptimizerKind optKind = s.parsed("optimizer", optimizer, "adam", OptimizerKind::parse);
    OptimizerConfig opt =
        new OptimizerConfig(
            optKind,
            s.number("lr", lr, optKind == OptimizerKind.ADAM ? 0.001f : 0.03f),
            s.number("momentum", momentum, 0.9f),
            s.flag("nesterov", nesterov, false),
            s.number("weight_decay", weightDecay, 0f));
    long runSeed = s.longNumber("seed", seed, 1);
    int total = s.integer("epochs", epochs, 4);
    int batchSize = s.integer("batch", batch, 64);
    LrSchedule lrSchedule = s.parsed("schedule", schedule, "cosine", LrSchedule::parse);
    int planned = scheduleEpochs(resumed, s, total);
    try (RunDirectory run = openRunDirectory(resumedFile)) {
      List<EpochMetrics> history = resumed == null ? List.of() : repair(run.path(), resumed);
      if (resumed != null && total <= resumed.epoch()) {
        throw usage(
            "--epochs = "
                + total
                + (epochs == null ? " (the run's total)" : "")
                + ": the checkpoint has already completed "
                + resumed.epoch()
                + " epochs; give a larger --epochs to train on");
      }
      TrainConfig cfg =
          TrainConfig.builder()
              .epochs(total)
              .batchSize(batchSize)
              .seed(runSeed)
              .optimizer(opt)
              .schedule(lrSchedule)
              .runDir(run.path())
              .scheduleEpochs(planned)
              .keepBest(s.flag("keep_best", keepBest, false))
              .earlyStopping(s.parsed("early_stopping", patience, 0, Integer::parseInt))
              .monitor(
                  UsageException.parsing(
                      "--monitor",
                      monitor,
                      () -> TrainingOptions.monitor(s.text("monitor", monitor, "accuracy"))))
              .keepPartialBatch(s.flag("keep_partial_batch", keepPartialBatch, false))
              .augmentation(
                  UsageException.parsing(
                      "--augment",
                      augment,
                      () -> TrainingOptions.augmentation(s.text("augment", augment, "none"))))
              .build();
      Split split = loadData(s, dataSpec);
      try (Ops ops = common.openDevice()) {
        if (tune) {
          TuneRun.run(
              io,
              io.err(),
              ops,
              modelSpec,
              split.train().itemShape(),
              cfg.batchSize(),
              java.time.Duration.ofSeconds(60),
              !noProgress && !common.quiet);
        }
        return train(ops, cfg, split, modelSpec, dataSpec, resumed, history, s);
      }
    }
  }

  /**
   * The run directory, checked and locked before any data is read: a new default one, the one
   * --run-dir names, or the resumed checkpoint's.
   */
  private RunDirectory openRunDirectory(Path resumedFile) throws IOException {
    if (runDir == null && resumedFile == null) {
      return RunDirectory.openNew(Checkpoints.RUNS, LocalDateTime.now());
    }
    Path dir = runDir != null ? runDir : resumedFile.toAbsolutePath().getParent();
    boolean continuing = resumedFile != null && sameDirectory(dir, resumedFile);
    if (continuing && overwrite) {
      throw usage("--overwrite would delete the checkpoint that --resume continues from");
    }
    return RunDirectory.open(
        dir,
        continuing
            ? RunDirectory.Intent.RESUME
            : overwrite ? RunDirectory.Intent.OVERWRITE : RunDirectory.Intent.FRESH);
  }

  private static boolean sameDirectory(Path dir, Path checkpoint) {
    Path parent = checkpoint.toAbsolutePath().getParent();
    try {
      return Files.isSameFile(dir, parent);
    } catch (IOException e) {
      return dir.toAbsolutePath().normalize().equals(parent.normalize());
    }
  }

  /**
   * Brings the run directory in line with the checkpoint it continues from (metrics.csv and the
   * chart rebuilt from the metrics the checkpoint carries, crash leftovers removed) and returns
   * those metrics.
   */
  private static List<EpochMetrics> repair(Path dir, Checkpoint resumed) throws IOException {
    List<EpochMetrics> history = EpochCommit.recover(dir, resumed);
    if (!history.isEmpty()) {
      ChartWriter.write(dir, history);
    }
    return history;
  }

  /** The optimizer's name, checked by the one rule that knows the names. */
  /** Range checks that name the option, reported as usage errors (exit code 2). */
  private void validate() {
    atLeastOne("--epochs", epochs);
    atLeastOne("--batch", batch);
    atLeastOne("--train-limit", trainLimit);
    atLeastOne("--test-limit", testLimit);
    atLeastOne("--early-stopping", patience);
    if (valSplit != null && !(valSplit > 0 && valSplit < 1)) {
      throw usage("--val-split = " + valSplit + ": must be a fraction in (0, 1), e.g. 0.1");
    }
    if (lr != null && !(lr > 0 && Float.isFinite(lr))) {
      throw usage("--lr = " + lr + ": must be a finite number greater than 0");
    }
    if (momentum != null && !(momentum >= 0 && momentum < 1)) {
      throw usage("--momentum = " + momentum + ": must be in [0, 1)");
    }
    if (weightDecay != null && !(weightDecay >= 0 && Float.isFinite(weightDecay))) {
      throw usage("--weight-decay = " + weightDecay + ": must be a finite number, at least 0");
    }
    // Parsed now, so a typo costs neither a data load nor a device start-up.
    if (model != null) {
      UsageException.from(() -> ModelSpec.parse(Models.spec(model)));
    }
    if (optimizer != null) {
      UsageException.parsing("--optimizer", optimizer, () -> OptimizerKind.parse(optimizer));
    }
    if (schedule != null) {
      UsageException.parsing("--schedule", schedule, () -> LrSchedule.parse(schedule));
    }
    if (input != null) {
      UsageException.parsing("--input", input, () -> Shapes.parse(input));
    }
  }

  /** A resumed run keeps its model: its weights fit no other. */
  private void requireSameModel(Checkpoint resumed) {
    if (model != null && !Models.spec(model).equals(resumed.spec())) {
      throw usage(
          "--model "
              + model
              + " differs from the checkpoint's spec "
              + resumed.spec()
              + "; a resumed run keeps its model");
    }
  }

  /**
   * The epochs the learning-rate schedule spans: the run's original plan when a resumed run is
   * extended past it without a new --schedule (a cosine decay then stays at its last rate rather
   * than rising), else the new total.
   */
  private int scheduleEpochs(Checkpoint resumed, Settings s, int total) {
    String plan =
        resumed == null || schedule != null
            ? null
            : resumed.settings().getOrDefault("schedule_epochs", resumed.settings().get("epochs"));
    int planned =
        plan == null
            ? total
            : Math.min(s.parsed("schedule_epochs", null, plan, Integer::parseInt), total);
    return Integer.parseInt(s.text("schedule_epochs", planned, planned));
  }

  private void atLeastOne(String option, Integer value) {
    if (value != null && value < 1) {
      throw usage(option + " = " + value + ": must be at least 1");
    }
  }

  private picocli.CommandLine.ParameterException usage(String message) {
    return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
  }

  private Split loadData(Settings s, String dataSpec) throws IOException {
    Shape designed = Models.designedInput(s.text("model", model, "lenet"));
    String in = s.text("input", input, designed == null ? "3x32x32" : designed.toString());
    Split split =
        DataSources.load(dataSpec, UsageException.parsing("--input", in, () -> Shapes.parse(in)));
    int trainN = s.integer("train_limit", trainLimit, Integer.MAX_VALUE);
    int testN = s.integer("test_limit", testLimit, Integer.MAX_VALUE);
    split = new Split(split.train().limit(trainN), split.test().limit(testN));
    double val = Double.parseDouble(s.text("val_split", valSplit, 0.0));
    if (val > 0) {
      Split carved = split.train().splitValidation(val, s.longNumber("seed", seed, 1));
      heldOutTest = split.test();
      split = carved;
    }
    if (designed != null && !designed.equals(split.train().itemShape())) {
      throw new UsageException(
          "model "
              + s.text("model", model, "lenet")
              + " expects "
              + designed
              + " images but "
              + dataSpec
              + " has "
              + split.train().itemShape());
    }
    return split;
  }

  /** The test set when a validation split takes its place during training; null otherwise. */
  private org.convcl.data.Dataset heldOutTest;

  /** Where training starts: after the resumed epochs, or from scratch. */
  private record Start(int epoch, long step, Normalization norm) {}

  private int train(
      Ops ops,
      TrainConfig cfg,
      Split split,
      String spec,
      String dataSpec,
      Checkpoint resumed,
      List<EpochMetrics> history,
      Settings s)
      throws IOException {
    long t0 = System.nanoTime();
    try (Sequential m = ModelSpec.build(ops, spec, split.train().itemShape(), cfg.seed());
        Optimizer optimizer = cfg.optimizer().create()) {
      requireOutputs(m, split.train().classNames().size());
      Start start = restore(resumed, m, optimizer, split);
      PrintStream lines = json ? io.err() : io.out();
      lines.printf(
          "training %s on %s (%d train / %d %s images, %s) on %s; run directory %s%n",
          spec,
          dataSpec,
          split.train().size(),
          split.test().size(),
          heldOutTest == null ? "test" : "validation",
          split.train().itemShape(),
          ops.name(),
          cfg.runDir());
      if (start.epoch() > 0) {
        lines.printf("resuming after epoch %d of %d%n", start.epoch(), cfg.epochs());
      }
      List<EpochMetrics> ran;
      try (StopOnSignal signal = StopOnSignal.install()) {
        // The chart closes after the progress bar (resources close in reverse order), so a run
        // stopped by a signal clears its bar before the chart is drawn.
        ChartListener chart = new ChartListener(cfg.runDir());
        try (chart;
            ProgressPrinter progress =
                ProgressPrinter.forCommand(lines, io, !noProgress && !common.quiet, cfg.epochs())
                    .heldOutAs(heldOutTest == null ? "test" : "val")) {
          TrainListener shown = TrainListener.all(progress, chart);
          TrainListener listener =
              profile ? new ProfilingListener(m, cfg.batchSize(), shown, lines) : shown;
          Trainer trainer =
              new Trainer(
                  m, optimizer, cfg, start.norm(), split.train().classNames(), s.used(), listener);
          trainer.stopWhen(signal::requested);
          ran = trainer.fit(split, start.epoch(), start.step(), history);
          if (ran.size() < cfg.epochs() - start.epoch()) {
            lines.printf("stopped early after epoch %d%n", ran.get(ran.size() - 1).epoch());
          }
        } catch (TrainingDivergedException e) {
          io.err().println("convcl train: " + e.getMessage() + " (--lr sets it)");
          return 1;
        } catch (TrainingInterruptedException e) {
          io.err().println(interrupted(e));
          return INTERRUPTED;
        }
        if (cfg.keepBest() && java.nio.file.Files.isRegularFile(cfg.bestFile())) {
          Checkpoint best = CheckpointIO.read(cfg.bestFile());
          best.restoreModel(m);
          lines.printf("ending with the best epoch, %d (%s)%n", best.epoch(), cfg.bestFile());
        }
        // Still under the signal's grace: a signal after the last step waits for the chart.
        org.convcl.data.Dataset test = heldOutTest != null ? heldOutTest : split.test();
        double testAcc =
            ran.isEmpty() || heldOutTest != null || cfg.keepBest()
                ? Evaluator.evaluate(m, test, start.norm(), cfg.batchSize()).accuracy()
                : ran.get(ran.size() - 1).testAccuracy();
        report(
            cfg,
            ran,
            testAcc,
            test.size(),
            ops.name(),
            (System.nanoTime() - t0) / 1e9,
            chart.current());
        return 0;
      }
    }
  }

  /**
   * The exit code of a run stopped by a signal, had the JVM not already chosen 128 + the signal's
   * number (143 for SIGTERM, 130 for SIGINT) for it.
   */
  static final int INTERRUPTED = 130;

  /** What a stopped run tells the user: where it stopped and how to go on. */
  static String interrupted(TrainingInterruptedException e) {
    String where = "interrupted at epoch " + e.epoch() + ", step " + e.step();
    if (e.lastEpoch() == 0) {
      return where + "; no epoch had completed, so no checkpoint was written";
    }
    return where + "; resume with: convcl train --resume " + e.runDir();
  }

  private static void requireOutputs(Sequential m, int classes) {
    if (m.outputItem().size() != classes) {
      throw new UsageException(
          "--model "
              + m.spec()
              + " has "
              + m.outputItem().size()
              + " outputs but the data has "
              + classes
              + " classes (end the spec with dense"
              + classes
              + ")");
    }
  }

  /**
   * Loads the checkpoint's weights and optimizer state into a freshly built model; a tensor that
   * does not fit is a damaged file, named.
   */
  private Start restore(Checkpoint resumed, Sequential m, Optimizer optimizer, Split split)
      throws IOException {
    if (resumed == null) {
      return new Start(0, 0, Normalization.of(split.train()));
    }
    boolean sameOptimizer;
    try {
      resumed.restoreModel(m);
      sameOptimizer = resumed.restoreOptimizer(m, optimizer);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(Checkpoints.resolve(resume), e.getMessage(), e);
    }
    if (!sameOptimizer) {
      LOG.warn(
          "The checkpoint used {}, not {}: optimizer state starts fresh",
          resumed.optimizer(),
          optimizer.name());
    }
    return new Start(resumed.epoch(), resumed.step(), resumed.normalization());
  }

  private void report(
      TrainConfig cfg,
      List<EpochMetrics> ran,
      double testAcc,
      int testN,
      String device,
      double seconds,
      boolean chartCurrent)
      throws IOException {
    List<EpochMetrics> history = MetricsCsv.read(cfg.runDir());
    Path chart = null;
    if (!history.isEmpty()) {
      // Drawn when the run ended (ChartListener) or when a resumed run directory was repaired;
      // again here where that drawing failed or did not happen.
      chart = cfg.runDir().resolve(ChartWriter.NAME);
      if (!chartCurrent || !Files.isRegularFile(chart)) {
        chart = ChartWriter.write(cfg.runDir(), history);
      }
    }
    double trained = ran.stream().mapToDouble(EpochMetrics::seconds).sum();
    double images = ran.stream().mapToDouble(e -> e.imagesPerSecond() * e.seconds()).sum();
    double ips = trained > 0 ? images / trained : 0;
    PrintStream lines = json ? io.err() : io.out();
    // An early stop ends before the planned total.
    int done = ran.isEmpty() ? cfg.epochs() : ran.get(ran.size() - 1).epoch();
    lines.printf(
        Locale.ROOT,
        "final test accuracy %.2f%% (%d images) after %d epochs; %.0f train images/s; %.1f s in all%n",
        100 * testAcc,
        testN,
        done,
        ips,
        seconds);
    lines.printf(
        "outputs: %s, %s, %s%s%n",
        cfg.runDir().resolve(MetricsCsv.NAME),
        chart,
        cfg.checkpointFile(),
        cfg.keepBest() ? ", " + cfg.bestFile() : "");
    if (json) {
      io.out()
          .println(
              new Json()
                  .put("test_accuracy", testAcc)
                  .put("train_images_per_second", ips)
                  .put("epochs", done)
                  .put("device", device)
                  .put("seconds", seconds)
                  .put("run_dir", cfg.runDir().toString()));
    }
  }
}
