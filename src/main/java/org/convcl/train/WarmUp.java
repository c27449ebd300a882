package org.convcl.train;

import java.util.List;
import java.util.Map;
import org.convcl.data.Dataset;
import org.convcl.data.Normalization;
import org.convcl.data.Split;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throwaway training steps before a run's first one, on a backend whose kernels the JVM compiles
 * while they run ({@link org.convcl.ops.Ops#warmUpSteps}). Until then such a kernel is slow, and on
 * a full batch that costs far more than the compilation itself: LeNet's first step of 64 images on
 * the CPU backend took as long as a hundred later ones. The steps run on a copy of the model built
 * from its spec, at {@link #BATCH} images, on the first training images, with a fresh optimizer of
 * the same settings and no run directory: the model, its optimizer and the run are not touched, so
 * a run trains the same bits with the warm-up or without it.
 */
final class WarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

  /** Images per warm-up step: each layer's kernels run on the real shapes but a small batch. */
  static final int BATCH = 4;

  /**
   * The share of the heap that the copy's parameters, gradients and optimizer state (four times its
   * parameters at most, with Adam) may take; a larger model trains without a warm-up.
   */
  static final int HEAP_SHARE = 8;

  private WarmUp() {}

  /**
   * Runs the warm-up for {@code model} on the first images of {@code train}; returns the steps it
   * ran (0 where the backend needs none, the model is too large, its spec does not rebuild it, or
   * the data is too small).
   */
  static int run(
      Sequential model,
      TrainConfig config,
      Normalization norm,
      List<String> classNames,
      Dataset train) {
    return run(model, config, norm, classNames, train, TrainListener.NONE);
  }

  /**
   * As {@link #run(Sequential, TrainConfig, Normalization, List, Dataset)}; {@code listener} sees
   * the copy's steps.
   */
  static int run(
      Sequential model,
      TrainConfig config,
      Normalization norm,
      List<String> classNames,
      Dataset train,
      TrainListener listener) {
    int steps = Math.min(model.ops().warmUpSteps(), train.size() / BATCH);
    if (steps <= 0) {
      return 0;
    }
    long stateBytes = 4L * Float.BYTES * parameters(model);
    if (stateBytes > Runtime.getRuntime().maxMemory() / HEAP_SHARE) {
      LOG.debug("No warm-up: the copy's state ({} bytes) is too large for the heap", stateBytes);
      return 0;
    }
    Sequential copy = copyOf(model, config.seed() + 1);
    if (copy == null) {
      return 0;
    }
    TrainConfig c =
        TrainConfig.builder()
            .epochs(1)
            .batchSize(BATCH)
            .seed(config.seed())
            .optimizer(config.optimizer())
            .schedule(LrSchedule.constant())
            .augmentation(config.augmentation())
            .build();
    int[] ran = {0};
    TrainListener counting =
        TrainListener.all(
            listener,
            new TrainListener() {
              @Override
              public void stepDone(int epoch, int step, double loss) {
                ran[0]++;
              }
            });
    try (copy;
        Optimizer optimizer = config.optimizer().create();
        Trainer trainer = new Trainer(copy, optimizer, c, norm, classNames, Map.of(), counting)) {
      trainer.withoutWarmUp();
      Split data = new Split(train.limit(steps * BATCH), train.limit(BATCH));
      model.ops().runWarmUp(() -> trainer.fit(data, 0, 0));
    } catch (TrainingDivergedException e) {
      // A throwaway copy: whether the real run diverges is its own business.
      LOG.debug("The warm-up copy diverged ({}); the run starts anyway", e.getMessage());
    } catch (RuntimeException e) {
      // The warm-up only shortens the first epoch; a run that would train must not fail for it.
      LOG.warn(
          "The warm-up stopped after {} steps ({}); the run starts anyway", ran[0], e.toString());
    }
    return ran[0];
  }

  /**
   * The model rebuilt from its spec with {@code seed}, or null where the spec does not rebuild it:
   * a layer of the caller's own whose spec the parser does not know, or one that parses as a layer
   * of another shape.
   */
  private static Sequential copyOf(Sequential model, long seed) {
    Sequential copy;
    try {
      copy = ModelSpec.build(model.ops(), model.spec(), model.inputItem(), seed);
    } catch (IllegalArgumentException e) {
      LOG.debug("No warm-up: the model's spec does not rebuild it ({})", e.getMessage());
      return null;
    }
    if (!sameParameterShapes(model, copy)) {
      LOG.debug("No warm-up: the model's spec builds another model ({})", model.spec());
      copy.close();
      return null;
    }
    return copy;
  }

  private static boolean sameParameterShapes(Sequential a, Sequential b) {
    if (!a.outputItem().equals(b.outputItem()) || a.params().size() != b.params().size()) {
      return false;
    }
    for (int i = 0; i < a.params().size(); i++) {
      if (!a.params().get(i).value().shape().equals(b.params().get(i).value().shape())) {
        return false;
      }
    }
    return true;
  }

  private static long parameters(Sequential model) {
    long n = 0;
    for (Param p : model.params()) {
      n += p.value().shape().size();
    }
    return n;
  }
}
