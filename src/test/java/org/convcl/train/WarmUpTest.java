package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Normalization;
import org.convcl.data.Split;
import org.convcl.nn.Dense;
import org.convcl.nn.Flatten;
import org.convcl.nn.Layer;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Sequential;
import org.convcl.nn.WeightInit;
import org.convcl.ops.Ops;
import org.convcl.ref.RefOps;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Test;

/**
 * The warm-up runs on a copy: a run trains the same bits with it or without it, with batch norm's
 * running statistics, dropout and Adam's state in the model. It runs where the backend asks for it,
 * and its time is counted in the run's first epoch.
 */
class WarmUpTest {
  private static final String SPEC = "conv3x3x4-bn-relu-maxpool2-dropout0.2-dense16-relu-dense10";

  @Test
  void aRunTrainsTheSameBitsWithTheWarmUpAndWithout() throws IOException {
    Split data = TrainFixtures.digits(3 * 16 + 5, 16);
    try (Ops cpu = new CpuOps()) {
      Run without = train(cpu, data, false, null);
      Run with = train(cpu, data, true, null);
      for (int e = 0; e < without.metrics().size(); e++) {
        EpochMetrics want = without.metrics().get(e);
        EpochMetrics got = with.metrics().get(e);
        assertEquals(want.trainLoss(), got.trainLoss(), "epoch " + (e + 1) + " train loss");
        assertEquals(want.testLoss(), got.testLoss(), "epoch " + (e + 1) + " test loss");
      }
      for (int i = 0; i < without.weights().length; i++) {
        assertArrayEquals(without.weights()[i], with.weights()[i], "parameter " + i);
      }
    }
  }

  @Test
  void theCpuBackendAsksForItOnceAndTheReferenceNever() throws IOException {
    Split data = TrainFixtures.digits(200, 16);
    TrainConfig cfg = config();
    Normalization norm = Normalization.of(data.train());
    List<String> classes = data.train().classNames();
    try (Ops cpu = new CpuOps();
        Sequential m = ModelSpec.build(cpu, SPEC, Shape.of(1, 28, 28), 3)) {
      int[] copySteps = {0};
      TrainListener counting =
          new TrainListener() {
            @Override
            public void stepDone(int epoch, int step, double loss) {
              copySteps[0]++;
            }
          };
      int asked = cpu.warmUpSteps();
      assertTrue(asked > 0, "steps the CPU backend asks for: " + asked);
      assertEquals(asked, WarmUp.run(m, cfg, norm, classes, data.train(), counting));
      assertEquals(asked, copySteps[0], "training steps the copy ran");
      assertEquals(0, cpu.warmUpSteps(), "a second warm-up on the same backend");
      assertEquals(0, WarmUp.run(m, cfg, norm, classes, data.train(), counting));
      assertEquals(asked, copySteps[0]);
    }
    try (Ops ref = new RefOps();
        Sequential m = ModelSpec.build(ref, SPEC, Shape.of(1, 28, 28), 3)) {
      assertEquals(0, WarmUp.run(m, cfg, norm, classes, data.train()));
    }
  }

  @Test
  void tooFewImagesForOneWarmUpStepMeanNoWarmUp() throws IOException {
    Split data = TrainFixtures.digits(WarmUp.BATCH - 1, 4);
    try (Ops cpu = new CpuOps();
        Sequential m = ModelSpec.build(cpu, SPEC, Shape.of(1, 28, 28), 3)) {
      assertEquals(
          0,
          WarmUp.run(
              m,
              config(),
              Normalization.of(data.train()),
              data.train().classNames(),
              data.train()));
    }
  }

  @Test
  void aModelWithALayerTheSpecParserDoesNotKnowTrainsWithoutAWarmUp() throws IOException {
    Split data = TrainFixtures.digits(64, 16);
    TrainConfig cfg = config();
    try (Ops cpu = new CpuOps();
        Sequential m =
            Sequential.build(
                cpu,
                Shape.of(1, 28, 28),
                new java.util.ArrayList<>(List.of(new Renamed(new Flatten()), new Dense(10))),
                5)) {
      Normalization norm = Normalization.of(data.train());
      assertEquals(0, WarmUp.run(m, cfg, norm, data.train().classNames(), data.train()));
      try (Trainer t = TrainFixtures.trainer(m, data, cfg, cfg.optimizer().create(), null)) {
        assertEquals(2, t.fit(data, 0, 0).size());
      }
    }
  }

  /** A layer of a library user's own: {@code layer}'s work under a spec ModelSpec cannot parse. */
  private record Renamed(Layer layer) implements Layer {
    @Override
    public String spec() {
      return "users-own-" + layer.spec();
    }

    @Override
    public Shape build(Ops ops, Shape inputItem, WeightInit init, java.util.Random rng) {
      return layer.build(ops, inputItem, init, rng);
    }

    @Override
    public Shape outputItem(Shape inputItem) {
      return layer.outputItem(inputItem);
    }

    @Override
    public org.convcl.tensor.Tensor forward(Ops ops, org.convcl.tensor.Tensor input, boolean t) {
      return layer.forward(ops, input, t);
    }

    @Override
    public org.convcl.tensor.Tensor backward(Ops ops, org.convcl.tensor.Tensor gradOutput) {
      return layer.backward(ops, gradOutput);
    }

    @Override
    public long flops(Shape inputItem) {
      return layer.flops(inputItem);
    }

    @Override
    public void close() {
      layer.close();
    }
  }

  @Test
  void theFirstEpochCountsTheWarmUpsTime() throws IOException {
    Split data = TrainFixtures.digits(2 * 16, 16);
    long[] now = {0};
    try (Ops cpu = new CpuOps()) {
      // Each reading of the trainer's clock advances it by a second.
      Run without = train(cpu, data, false, () -> now[0] += 1_000_000_000L);
      Run with = train(cpu, data, true, () -> now[0] += 1_000_000_000L);
      assertEquals(1.0, without.metrics().get(0).seconds(), 1e-9);
      assertEquals(1.0, without.metrics().get(1).seconds(), 1e-9);
      assertEquals(2.0, with.metrics().get(0).seconds(), 1e-9, "the warm-up's second in epoch 1");
      assertEquals(1.0, with.metrics().get(1).seconds(), 1e-9, "and not in epoch 2");
    }
  }

  private record Run(List<EpochMetrics> metrics, float[][] weights) {}

  private static TrainConfig config() {
    return TrainConfig.builder()
        .epochs(2)
        .batchSize(16)
        .seed(21)
        .optimizer(Optimizer.adam(2e-3))
        .schedule(LrSchedule.parse("constant"))
        .keepPartialBatch(true)
        .build();
  }

  private static Run train(
      Ops ops, Split data, boolean warmUp, java.util.function.LongSupplier clock) {
    TrainConfig cfg = config();
    try (Sequential m = ModelSpec.build(ops, SPEC, Shape.of(1, 28, 28), 21);
        Trainer t = TrainFixtures.trainer(m, data, cfg, cfg.optimizer().create(), null)) {
      if (!warmUp) {
        t.withoutWarmUp();
      }
      if (clock != null) {
        t.useClock(clock);
      }
      List<EpochMetrics> metrics = t.fit(data, 0, 0);
      return new Run(metrics, TrainFixtures.weights(m));
    }
  }
}
