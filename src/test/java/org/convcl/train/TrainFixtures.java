package org.convcl.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.convcl.data.DataSources;
import org.convcl.data.Normalization;
import org.convcl.data.Split;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;

/** Small runs on the bundled digits for the trainer tests. */
final class TrainFixtures {
  private TrainFixtures() {}

  static Split digits(int train, int test) throws IOException {
    Split s = DataSources.load("mnist", null);
    return new Split(s.train().limit(train), s.test().limit(test));
  }

  static Sequential model(Ops ops, String spec, long seed) {
    return ModelSpec.build(ops, spec, org.convcl.tensor.Shape.of(1, 28, 28), seed);
  }

  static Trainer trainer(
      Sequential m, Split data, TrainConfig cfg, Optimizer opt, TrainListener listener) {
    return new Trainer(
        m, opt, cfg, Normalization.of(data.train()), data.train().classNames(), Map.of(), listener);
  }

  /**
   * A trainer with its own fresh optimizer of {@code opt}, no listener, and {@link #config}'s batch
   * of 32: the setup most tests repeat.
   */
  static Trainer trainer(
      Sequential m,
      Split data,
      int epochs,
      long seed,
      OptimizerConfig opt,
      String schedule,
      Path dir) {
    return trainer(m, data, config(epochs, seed, opt, schedule, dir), opt.create(), null);
  }

  static float[][] weights(Sequential m) {
    return m.params().stream().map(Param::value).map(t -> m.ops().read(t)).toArray(float[][]::new);
  }

  static TrainConfig config(int epochs, long seed, OptimizerConfig opt, String schedule, Path dir) {
    return TrainConfig.builder()
        .epochs(epochs)
        .batchSize(32)
        .seed(seed)
        .optimizer(opt)
        .schedule(LrSchedule.parse(schedule))
        .runDir(dir)
        .build();
  }
}
