package org.convcl.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.convcl.data.Dataset;
import org.convcl.data.Normalization;
import org.convcl.data.Split;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.tensor.Require;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mini-batch training with softmax cross-entropy on any backend. A step runs forward, loss,
 * backward and the optimizer on the device, and reads back only the summed loss and the B predicted
 * classes. The batches are double-buffered: while the device runs step s, the host prepares batch
 * s+1 into the other batch's staging memory and enqueues its upload ({@link
 * org.convcl.ops.StagedWrite}), so the step's one wait, the loss read at its end, finds the next
 * batch already on its way; the predictions come back with that same wait ({@link
 * org.convcl.ops.StagedRead}). Every {@link #PARAMETER_CHECK_STEPS} steps it checks that every
 * parameter is finite (a NaN behind a ReLU need not show in the loss). After every epoch it
 * evaluates the test set and, with a run directory, commits the epoch ({@link EpochCommit}: an
 * atomic checkpoint carrying the metrics, then {@code metrics.csv}). A stop condition ({@link
 * #stopWhen}) is polled after every step. On the CPU backend equal seeds give equal runs, and a run
 * resumed from a checkpoint ends with the weights of an uninterrupted one: the data order of epoch
 * e and the dropout masks of step s are pure functions of (seed, e, s). Where the backend asks for
 * it ({@link Ops#warmUpSteps}), a run starts with a {@link WarmUp} of the JIT on a copy of the
 * model, counted in the first epoch's time and invisible in its results.
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /**
   * Steps between two checks that every parameter is finite: a run with non-finite weights stops
   * within this many steps. A check sums each parameter on the device (one read-back each), about
   * the cost of one small step, so every 50 steps it costs under 2%.
   */
  public static final int PARAMETER_CHECK_STEPS = 50;

  private final Sequential model;
  private final Ops ops;
  private final Optimizer optimizer;
  private final TrainConfig config;
  private final Normalization norm;
  private final List<String> classNames;
  private final Map<String, String> settings;
  private final TrainListener listener;
  private final List<EpochMetrics> history = new ArrayList<>();
  private EpochControl control;
  private Checkpoint best;
  private EpochCommit commit;
  private LongSupplier clock = System::nanoTime;
  private BooleanSupplier stop = () -> false;
  private long globalStep;
  private boolean overlapUploads = true;
  private boolean warmUp = true;
  private long carriedNanos;
  private int resumedEpoch;
  private int lastSavedEpoch;

  public Trainer(
      Sequential model,
      Optimizer optimizer,
      TrainConfig config,
      Normalization norm,
      List<String> classNames,
      Map<String, String> settings,
      TrainListener listener) {
    this.model = model;
    this.ops = model.ops();
    this.optimizer = optimizer;
    this.config = config;
    this.norm = norm;
    this.classNames = List.copyOf(classNames);
    // Sorted, so equal runs write byte-identical checkpoints.
    this.settings = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(settings));
    this.listener = listener == null ? TrainListener.NONE : listener;
    this.commit =
        config.runDir() == null ? null : new EpochCommit(config.runDir(), AtomicFile.SYSTEM);
    Require.that(
        model.outputItem().size() == classNames.size(),
        "model outputs",
        model.outputItem(),
        "must equal the number of classes "
            + classNames.size()
            + " (end the spec with dense"
            + classNames.size()
            + ")");
  }

  /**
   * Stops the run after the step during which {@code condition} became true, with a {@link
   * TrainingInterruptedException}; the last committed epoch stays as it is.
   */
  public Trainer stopWhen(BooleanSupplier condition) {
    this.stop = condition;
    return this;
  }

  /** The file-system steps of the epoch commits (tests inject faults here). */
  void useFileSteps(FileSteps steps) {
    this.commit =
        config.runDir() == null ? null : new EpochCommit(config.runDir(), new AtomicFile(steps));
  }

  /**
   * Uploads each batch with a blocking write at the start of its step instead of during the step
   * before: the reference the overlapped uploads are tested against.
   */
  void uploadSynchronously() {
    this.overlapUploads = false;
  }

  /** Starts without the {@link WarmUp} on a copy of the model (the warm-up's own trainer). */
  void withoutWarmUp() {
    this.warmUp = false;
  }

  /** The clock of the epoch timings (tests make them reproducible). */
  void useClock(LongSupplier nanoTime) {
    this.clock = nanoTime;
  }

  /**
   * Continues after {@code completedEpochs} epochs and {@code step} steps (0, 0 for a new run); the
   * metrics of the completed epochs are the rows of the run directory's metrics.csv up to them.
   * {@link #fit(Split, int, long, List)} takes them from the checkpoint instead.
   */
  public List<EpochMetrics> fit(Split data, int completedEpochs, long step) {
    try {
      return fit(
          data,
          completedEpochs,
          step,
          config.runDir() == null || completedEpochs == 0
              ? List.of()
              : MetricsCsv.readEpochs(config.runDir(), completedEpochs));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Continues the run of {@code from}, with the metrics it carries. */
  public List<EpochMetrics> resume(Split data, Checkpoint from) {
    try {
      return fit(data, from.epoch(), from.step(), EpochCommit.history(config.runDir(), from));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Continues after {@code completedEpochs} epochs and {@code step} steps whose metrics were {@code
   * done}; returns the metrics of the epochs trained now.
   */
  public List<EpochMetrics> fit(
      Split data, int completedEpochs, long step, List<EpochMetrics> done) {
    Require.that(
        data.train().itemShape().equals(model.inputItem()),
        "training images",
        data.train().itemShape(),
        "must match the model input " + model.inputItem());
    globalStep = step;
    resumedEpoch = completedEpochs;
    lastSavedEpoch = 0;
    history.clear();
    history.addAll(done);
    int batch = Math.min(config.batchSize(), data.train().size());
    int partial = config.keepPartialBatch() ? data.train().size() % batch : 0;
    recover();
    if (warmUp && completedEpochs < config.epochs()) {
      warmUp(data.train(), completedEpochs + 1);
    }
    control = new EpochControl(config);
    history.forEach(control::observe);
    List<EpochMetrics> out = new ArrayList<>();
    boolean twoFull = overlapUploads && data.train().size() / batch > 1;
    try (BatchTensors b = new BatchTensors(ops, batch, model.inputItem(), classNames.size());
        BatchTensors other =
            twoFull ? new BatchTensors(ops, batch, model.inputItem(), classNames.size()) : null;
        BatchTensors tail =
            partial == 0
                ? null
                : new BatchTensors(ops, partial, model.inputItem(), classNames.size())) {
      for (int epoch = completedEpochs; epoch < config.epochs(); epoch++) {
        EpochMetrics m = epoch(data, epoch, other == null ? List.of(b) : List.of(b, other), tail);
        requireFinite(m);
        out.add(m);
        EpochControl.Verdict v = control.observe(m);
        if (v.improved() && config.keepBest()) {
          keepBest(m);
        }
        saveEpoch(m);
        listener.epochDone(m);
        if (v.stop() && epoch + 1 < config.epochs()) {
          LOG.info("Stopping early after epoch {}: best epoch {}", m.epoch(), control.bestEpoch());
          listener.stoppedEarly(m.epoch(), control.bestEpoch());
          break;
        }
      }
    }
    return out;
  }

  /**
   * The {@link WarmUp}, when the backend asks for one; its time is counted in the time of {@code
   * epoch} (1-based), the run's first, so its images/s are what the run cost.
   */
  private void warmUp(Dataset train, int epoch) {
    carriedNanos = 0;
    if (ops.warmUpSteps() <= 0) {
      return;
    }
    long t0 = clock.getAsLong();
    int steps = WarmUp.run(model, config, norm, classNames, train);
    carriedNanos = clock.getAsLong() - t0;
    if (steps > 0) {
      LOG.info(
          "Warm-up: {} steps of {} images on a copy of the model for the JIT, {} s (counted in"
              + " epoch {})",
          steps,
          WarmUp.BATCH,
          String.format(Locale.ROOT, "%.2f", carriedNanos / 1e9),
          epoch);
    }
  }

  /** Holds the best epoch's weights on the host and, with a run directory, writes best.ccl. */
  private void keepBest(EpochMetrics m) {
    best =
        Checkpoint.capture(
            model, null, classNames, norm, m.epoch(), globalStep, config.seed(), settings);
    if (config.runDir() == null) {
      return;
    }
    try {
      CheckpointIO.write(config.bestFile(), best);
    } catch (IOException e) {
      throw new UncheckedIOException("could not save the best epoch " + m.epoch(), e);
    }
  }

  /**
   * The best epoch this fit saw on the monitored metric, when keep-best is on.
   *
   * @return its checkpoint (weights, no optimizer state), or null when keep-best is off or no epoch
   *     ran
   */
  public Checkpoint best() {
    return best;
  }

  private void recover() {
    if (commit == null) {
      return;
    }
    try {
      commit.recover(history);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private EpochMetrics epoch(
      Split data, int epoch, List<BatchTensors> fullSlots, BatchTensors tail) {
    Dataset train = data.train();
    BatchTensors full = fullSlots.get(0);
    int fullSteps = train.size() / full.size;
    int steps = fullSteps + (tail == null ? 0 : 1);
    int[] order = shuffled(train.size(), config.seed(), epoch);
    listener.epochStarted(epoch + 1, steps, full.size);
    double lossSum = 0;
    long correct = 0;
    float lr = 0;
    int seen = 0;
    long t0 = clock.getAsLong() - carriedNanos;
    carriedNanos = 0;
    IntFunction<BatchTensors> slot =
        s -> s < fullSteps ? fullSlots.get(s % fullSlots.size()) : tail;
    if (overlapUploads) {
      prepare(train, order, epoch, 0, full.size, slot.apply(0)).send(ops);
    }
    for (int s = 0; s < steps; s++) {
      BatchTensors b = slot.apply(s);
      lr =
          (float) control.lrScale()
              * config
                  .schedule()
                  .at(config.optimizer().learningRate(), epoch, s, steps, config.scheduleEpochs());
      Runnable whileItRuns = () -> {};
      if (!overlapUploads) {
        prepare(train, order, epoch, s, full.size, b).upload(ops);
      } else if (s + 1 < steps) {
        int next = s + 1;
        whileItRuns =
            () -> prepare(train, order, epoch, next, full.size, slot.apply(next)).send(ops);
      }
      seen += b.size;
      double loss = step(b, lr, epoch, s, whileItRuns);
      lossSum += loss * b.size;
      correct += countCorrect(b, b.size);
      listener.stepDone(epoch + 1, s + 1, loss);
      if (globalStep % PARAMETER_CHECK_STEPS == 0) {
        requireFiniteParameters(epoch, s, lr);
      }
      if (stop.getAsBoolean()) {
        throw new TrainingInterruptedException(epoch + 1, s + 1, lastGoodEpoch(), config.runDir());
      }
    }
    double seconds = (clock.getAsLong() - t0) / 1e9;
    EvalResult test = Evaluator.evaluate(model, data.test(), norm, full);
    return new EpochMetrics(
        epoch + 1,
        lr,
        lossSum / seen,
        (double) correct / seen,
        test.loss(),
        test.accuracy(),
        seen / seconds,
        seconds);
  }

  /**
   * Fills {@code b}'s host arrays with the (augmented) batch of step {@code s}; {@code batch} is
   * the size of a full batch.
   */
  private BatchTensors prepare(
      Dataset train, int[] order, int epoch, int s, int batch, BatchTensors b) {
    train.fill(order, s * batch, b.size, norm, b.hostImages, b.hostLabels);
    config.augmentation().apply(b.hostImages, b.size, model.inputItem(), norm, batchSeed(epoch, s));
    return b;
  }

  /** The seed of the augmentation of step {@code s} of {@code epoch}: a function of both only. */
  private long batchSeed(int epoch, int s) {
    return config.seed() * 0x2545F4914F6CDD1DL + ((long) epoch << 32) + s;
  }

  /**
   * One training step on the batch in {@code b}'s tensors; returns the mean loss. {@code
   * whileItRuns} is host work done once the step is enqueued and handed to the device, before the
   * loss read waits for it (the next batch's preparation and upload).
   */
  private double step(BatchTensors b, float lr, int epoch, int s, Runnable whileItRuns) {
    model.seedDropout(config.seed() * 0x9E3779B97F4A7C15L + globalStep);
    var logits = model.forward(b.images, true);
    ops.softmaxCrossEntropyForward(logits, b.labels, b.probs, b.losses);
    ops.argmaxRows(logits, b.predictions);
    b.requestPredictions(ops); // taken after the loss read, which waits for it too
    ops.softmaxCrossEntropyBackward(b.probs, b.labels, 1f / b.size, b.gradLogits);
    model.backward(b.gradLogits);
    optimizer.step(ops, model.params(), lr);
    ops.flush();
    whileItRuns.run();
    // The loss is read once the whole step is enqueued: the one wait of a step, at its end, so
    // the device never idles while the host waits for the forward pass. A non-finite loss then
    // stops the run after the update; nothing of this epoch is saved.
    double loss = ops.sum(b.losses) / b.size;
    globalStep++;
    if (!Double.isFinite(loss)) {
      throw diverged(loss, epoch, s, lr);
    }
    return loss;
  }

  private TrainingDivergedException diverged(double loss, int epoch, int s, float lr) {
    return new TrainingDivergedException(
        String.format(
            "the loss became %s at epoch %d, step %d (learning rate %g): training stopped; %s."
                + " Try a smaller learning rate.",
            loss, epoch + 1, s + 1, lr, kept()));
  }

  private void requireFiniteParameters(int epoch, int s, float lr) {
    String bad = nonFiniteParameter();
    if (bad != null) {
      throw new TrainingDivergedException(
          String.format(
              "after step %d of epoch %d %s (learning rate %g): training stopped; %s. Try a"
                  + " smaller learning rate.",
              s + 1, epoch + 1, bad, lr, kept()));
    }
  }

  /** The first parameter holding NaN or an infinity, described; null when all are finite. */
  private String nonFiniteParameter() {
    for (Param p : model.params()) {
      double sum = ops.sum(p.value());
      if (!Double.isFinite(sum)) {
        return "parameter " + p.name() + " holds non-finite values (sum " + sum + ")";
      }
    }
    return null;
  }

  /** The epoch of the checkpoint that a stop now leaves: saved by this run or resumed from. */
  private int lastGoodEpoch() {
    return lastSavedEpoch > 0 ? lastSavedEpoch : resumedEpoch;
  }

  /**
   * The test loss and every parameter must be finite before an epoch is saved: the last step's
   * update can overflow the weights after its (finite) loss was measured.
   */
  private void requireFinite(EpochMetrics m) {
    String bad = null;
    if (!Double.isFinite(m.testLoss())) {
      bad = "the test loss is " + m.testLoss();
    } else {
      bad = nonFiniteParameter();
    }
    if (bad != null) {
      throw new TrainingDivergedException(
          String.format(
              "after epoch %d %s (learning rate %g): training stopped without saving it; %s."
                  + " Try a smaller learning rate.",
              m.epoch(), bad, m.learningRate(), kept()));
    }
  }

  /** Which checkpoint survives a divergence, said without claiming a file this run never wrote. */
  private String kept() {
    Path ckpt = config.checkpointFile();
    if (ckpt != null && lastSavedEpoch > 0) {
      return "the last good checkpoint (epoch " + lastSavedEpoch + ") is kept at " + ckpt;
    }
    if (resumedEpoch > 0) {
      return "the last good checkpoint (epoch "
          + resumedEpoch
          + "), the one this run resumed from, is unchanged";
    }
    return "no checkpoint was written";
  }

  private long countCorrect(BatchTensors b, int valid) {
    return Evaluator.countCorrect(b.predicted(), b, valid);
  }

  /** Optimizer steps taken so far, resumed ones included. */
  public long steps() {
    return globalStep;
  }

  /** Loss and accuracy of the model (inference mode) on {@code d}. */
  public EvalResult evaluate(Dataset d) {
    return Evaluator.evaluate(model, d, norm, config.batchSize());
  }

  private void saveEpoch(EpochMetrics m) {
    history.add(m);
    if (commit == null) {
      return;
    }
    try {
      Checkpoint c =
          Checkpoint.capture(
                  model,
                  optimizer,
                  classNames,
                  norm,
                  m.epoch(),
                  globalStep,
                  config.seed(),
                  settings)
              .withHistory(history);
      commit.commit(c);
      lastSavedEpoch = m.epoch();
      LOG.debug("Committed epoch {} to {}", m.epoch(), config.checkpointFile());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not save epoch " + m.epoch() + " in " + config.runDir(), e);
    }
  }

  /** The permutation of {@code n} items for {@code epoch}: a function of (seed, epoch) only. */
  static int[] shuffled(int n, long seed, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random r = new Random(seed * 6364136223846793005L + 1442695040888963407L * (epoch + 1));
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  @Override
  public void close() {
    optimizer.close();
  }
}
