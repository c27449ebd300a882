package org.convcl.train;

import java.nio.file.Path;
import org.convcl.data.Augmentation;
import org.convcl.tensor.Require;

/**
 * One run's settings, made with {@link #builder()}:
 *
 * <pre>{@code
 * TrainConfig config = TrainConfig.builder()
 *     .epochs(10).batchSize(64).seed(42)
 *     .optimizer(Optimizer.adam(1e-3))
 *     .schedule(LrSchedule.cosine().withWarmup(1))
 *     .earlyStopping(3).keepBest(true)
 *     .build();
 * }</pre>
 *
 * <p>With a run directory, every epoch writes {@code checkpoint.ccl} (the newest epoch, for resume)
 * and appends to {@code metrics.csv}, and keep-best writes {@code best.ccl}; without one everything
 * stays in memory. Instances are immutable; {@link #toBuilder()} starts a changed copy.
 */
public final class TrainConfig {
  /** The file name of the newest epoch's checkpoint in a run directory. */
  public static final String CHECKPOINT_NAME = "checkpoint.ccl";

  /** The file name of the best epoch's checkpoint in a run directory (keep-best). */
  public static final String BEST_NAME = "best.ccl";

  private final int epochs;
  private final int batchSize;
  private final long seed;
  private final OptimizerConfig optimizer;
  private final LrSchedule schedule;
  private final Path runDir;
  private final int scheduleEpochs;
  private final boolean keepPartialBatch;
  private final int earlyStoppingPatience;
  private final boolean keepBest;
  private final Monitor monitor;
  private final Augmentation augmentation;

  private TrainConfig(Builder b) {
    epochs = Require.positive("epochs", b.epochs);
    batchSize = Require.positive("batch size", b.batchSize);
    seed = b.seed;
    Require.that(b.optimizer != null, "optimizer", null, "must be given");
    Require.that(b.schedule != null, "lr schedule", null, "must be given");
    Require.that(b.monitor != null, "monitored metric", null, "must be given");
    Require.that(b.augmentation != null, "augmentation", null, "must be given");
    optimizer = b.optimizer;
    schedule = b.schedule;
    runDir = b.runDir;
    scheduleEpochs =
        Require.positive("schedule epochs", b.scheduleEpochs == 0 ? epochs : b.scheduleEpochs);
    keepPartialBatch = b.keepPartialBatch;
    earlyStoppingPatience = Require.nonNegative("early-stopping patience", b.earlyStoppingPatience);
    keepBest = b.keepBest;
    monitor = b.monitor;
    augmentation = b.augmentation;
  }

  /**
   * A builder with the defaults: 4 epochs, batch 64, seed 1, Adam at 1e-3, cosine schedule, no run
   * directory, no early stopping, no keep-best, the accuracy monitored, no augmentation.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these settings.
   *
   * @return a new builder to change a copy
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.seed = seed;
    b.optimizer = optimizer;
    b.schedule = schedule;
    b.runDir = runDir;
    b.scheduleEpochs = scheduleEpochs == epochs ? 0 : scheduleEpochs;
    b.keepPartialBatch = keepPartialBatch;
    b.earlyStoppingPatience = earlyStoppingPatience;
    b.keepBest = keepBest;
    b.monitor = monitor;
    b.augmentation = augmentation;
    return b;
  }

  /**
   * Epochs in total, counting those a resumed run already completed.
   *
   * @return at least 1
   */
  public int epochs() {
    return epochs;
  }

  /**
   * Images per training step.
   *
   * @return at least 1
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The seed of the data order, dropout masks and augmentation.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * The optimizer's settings.
   *
   * @return the settings
   */
  public OptimizerConfig optimizer() {
    return optimizer;
  }

  /**
   * The learning-rate schedule.
   *
   * @return the schedule
   */
  public LrSchedule schedule() {
    return schedule;
  }

  /**
   * Where checkpoints and metrics go.
   *
   * @return the run directory, or null to keep everything in memory
   */
  public Path runDir() {
    return runDir;
  }

  /**
   * The length the schedule was planned for: {@link #epochs()}, except for a run extended past its
   * original plan, which keeps that plan (see {@link LrSchedule#at(float, int, int, int, int)}).
   *
   * @return at least 1
   */
  public int scheduleEpochs() {
    return scheduleEpochs;
  }

  /**
   * Whether an epoch ends with a short batch of the images left over after the full batches
   * (otherwise they wait for another epoch's order).
   *
   * @return true to train on every image every epoch
   */
  public boolean keepPartialBatch() {
    return keepPartialBatch;
  }

  /**
   * Epochs without improvement of the monitored metric after which training stops.
   *
   * @return the patience, 0 when early stopping is off
   */
  public int earlyStoppingPatience() {
    return earlyStoppingPatience;
  }

  /**
   * Whether the best epoch on the monitored metric is kept ({@code best.ccl} in the run directory,
   * and the weights a {@link Classifier} ends its fit with).
   *
   * @return true to keep the best epoch
   */
  public boolean keepBest() {
    return keepBest;
  }

  /**
   * The held-out metric keep-best, early stopping and reduce-on-plateau watch.
   *
   * @return the metric
   */
  public Monitor monitor() {
    return monitor;
  }

  /**
   * The random transformation of training images.
   *
   * @return the augmentation ({@link Augmentation#none()} when off)
   */
  public Augmentation augmentation() {
    return augmentation;
  }

  /**
   * The newest epoch's checkpoint file.
   *
   * @return {@code runDir/checkpoint.ccl}, or null without a run directory
   */
  public Path checkpointFile() {
    return runDir == null ? null : runDir.resolve(CHECKPOINT_NAME);
  }

  /**
   * The best epoch's checkpoint file.
   *
   * @return {@code runDir/best.ccl}, or null without a run directory
   */
  public Path bestFile() {
    return runDir == null ? null : runDir.resolve(BEST_NAME);
  }

  /** Collects the settings of a {@link TrainConfig}; {@link #build()} checks them. */
  public static final class Builder {
    private int epochs = 4;
    private int batchSize = 64;
    private long seed = 1;
    private OptimizerConfig optimizer = Optimizer.adam(1e-3);
    private LrSchedule schedule = LrSchedule.cosine();
    private Path runDir;
    private int scheduleEpochs;
    private boolean keepPartialBatch;
    private int earlyStoppingPatience;
    private boolean keepBest;
    private Monitor monitor = Monitor.ACCURACY;
    private Augmentation augmentation = Augmentation.none();

    private Builder() {}

    /**
     * Sets the epochs in total.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder epochs(int n) {
      epochs = n;
      return this;
    }

    /**
     * Sets the images per step.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder batchSize(int n) {
      batchSize = n;
      return this;
    }

    /**
     * Sets the seed of data order, dropout and augmentation.
     *
     * @param s any value
     * @return this builder
     */
    public Builder seed(long s) {
      seed = s;
      return this;
    }

    /**
     * Sets the optimizer, e.g. {@code Optimizer.adam(1e-3)}.
     *
     * @param o the settings
     * @return this builder
     */
    public Builder optimizer(OptimizerConfig o) {
      optimizer = o;
      return this;
    }

    /**
     * Sets the learning-rate schedule.
     *
     * @param s e.g. {@code LrSchedule.cosine()}
     * @return this builder
     */
    public Builder schedule(LrSchedule s) {
      schedule = s;
      return this;
    }

    /**
     * Sets the run directory.
     *
     * @param dir where checkpoints and metrics go; null keeps everything in memory
     * @return this builder
     */
    public Builder runDir(Path dir) {
      runDir = dir;
      return this;
    }

    /**
     * Sets the epochs the schedule is planned for, when they differ from {@link #epochs}.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder scheduleEpochs(int n) {
      scheduleEpochs = Require.positive("schedule epochs", n);
      return this;
    }

    /**
     * Sets whether each epoch ends with a short batch of the leftover images.
     *
     * @param keep true to train on every image every epoch
     * @return this builder
     */
    public Builder keepPartialBatch(boolean keep) {
      keepPartialBatch = keep;
      return this;
    }

    /**
     * Stops training after {@code patience} epochs without improvement of the monitored metric.
     *
     * @param patience at least 1; 0 turns early stopping off
     * @return this builder
     */
    public Builder earlyStopping(int patience) {
      earlyStoppingPatience = patience;
      return this;
    }

    /**
     * Sets whether the best epoch is kept.
     *
     * @param keep true to keep it
     * @return this builder
     */
    public Builder keepBest(boolean keep) {
      keepBest = keep;
      return this;
    }

    /**
     * Sets the held-out metric that keep-best, early stopping and reduce-on-plateau watch.
     *
     * @param m the metric
     * @return this builder
     */
    public Builder monitor(Monitor m) {
      monitor = m;
      return this;
    }

    /**
     * Sets the random transformation of training images.
     *
     * @param a e.g. {@code Augmentation.cifar()}
     * @return this builder
     */
    public Builder augmentation(Augmentation a) {
      augmentation = a;
      return this;
    }

    /**
     * Checks the settings.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the first bad setting and its value
     */
    public TrainConfig build() {
      return new TrainConfig(this);
    }
  }
}
