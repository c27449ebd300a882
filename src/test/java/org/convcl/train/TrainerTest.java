package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Split;
import org.convcl.nn.Sequential;
import org.convcl.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  private static final String SMALL =
      "conv5x5x6-relu-maxpool2-conv5x5x12-relu-maxpool2-dense32-relu-dense10";
  private static final String STOCHASTIC =
      "conv3x3x4-bn-relu-maxpool2-dropout0.3-dense16-relu-dense10";
  private final CpuOps ops = new CpuOps();

  @TempDir Path dir;

  @AfterEach
  void close() {
    ops.close();
  }

  @Test
  void lossFallsOnAFewHundredDigits() throws IOException {
    Split data = TrainFixtures.digits(384, 200);
    OptimizerConfig sgd = Optimizer.sgd(0.05).withMomentum(0.9);
    try (Sequential m = TrainFixtures.model(ops, SMALL, 3);
        Trainer t = TrainFixtures.trainer(m, data, 4, 3, sgd, "constant", dir)) {
      List<EpochMetrics> ms = t.fit(data, 0, 0);
      assertEquals(4, ms.size());
      double first = ms.get(0).trainLoss();
      double last = ms.get(3).trainLoss();
      assertTrue(last < 0.6 * first, "seed 3: train loss " + first + " -> " + last);
      assertTrue(ms.get(3).testAccuracy() > 0.6, "seed 3: test accuracy " + ms.get(3));
      assertTrue(Files.exists(dir.resolve("metrics.csv")));
      assertEquals(4, MetricsCsv.read(dir).size());
      assertEquals(4, CheckpointIO.read(dir.resolve(TrainConfig.CHECKPOINT_NAME)).epoch());
    }
  }

  @Test
  void sameSeedSameRun() throws IOException {
    Split data = TrainFixtures.digits(128, 64);
    OptimizerConfig adam = Optimizer.adam(0.002).withWeightDecay(1e-4);
    float[][][] w = new float[2][][];
    for (int run = 0; run < 2; run++) {
      try (Sequential m = TrainFixtures.model(ops, STOCHASTIC, 5);
          Trainer t = TrainFixtures.trainer(m, data, 2, 5, adam, "cosine", null)) {
        t.fit(data, 0, 0);
        w[run] = TrainFixtures.weights(m);
      }
    }
    for (int i = 0; i < w[0].length; i++) {
      assertArrayEquals(w[0][i], w[1][i], "seed 5, param " + i);
    }
  }

  @Test
  void killedAndResumedRunEqualsUninterruptedRun() throws IOException {
    Split data = TrainFixtures.digits(160, 64);
    OptimizerConfig sgd =
        Optimizer.sgd(0.05).withMomentum(0.9).withNesterov(true).withWeightDecay(1e-4);
    int epochs = 3;
    float[][] uninterrupted;
    try (Sequential m = TrainFixtures.model(ops, STOCHASTIC, 7);
        Trainer t =
            TrainFixtures.trainer(m, data, epochs, 7, sgd, "step:1:0.5", dir.resolve("a"))) {
      t.fit(data, 0, 0);
      uninterrupted = TrainFixtures.weights(m);
    }
    Path b = dir.resolve("b");
    TrainListener killer =
        new TrainListener() {
          @Override
          public void stepDone(int epoch, int step, double loss) {
            if (epoch == 2 && step == 3) {
              throw new IllegalStateException("killed");
            }
          }
        };
    try (Sequential m = TrainFixtures.model(ops, STOCHASTIC, 7);
        Trainer t =
            TrainFixtures.trainer(
                m,
                data,
                TrainFixtures.config(epochs, 7, sgd, "step:1:0.5", b),
                sgd.create(),
                killer)) {
      assertThrows(IllegalStateException.class, () -> t.fit(data, 0, 0));
    }
    Checkpoint c = CheckpointIO.read(b.resolve(TrainConfig.CHECKPOINT_NAME));
    assertEquals(1, c.epoch());
    // A fresh process: a model with other initial weights, restored from the checkpoint.
    try (Sequential m = TrainFixtures.model(ops, c.spec(), 999);
        Optimizer opt = sgd.create()) {
      c.restoreModel(m);
      assertTrue(c.restoreOptimizer(m, opt));
      try (Trainer t =
          TrainFixtures.trainer(
              m, data, TrainFixtures.config(epochs, c.seed(), sgd, "step:1:0.5", b), opt, null)) {
        t.fit(data, c.epoch(), c.step());
      }
      float[][] resumed = TrainFixtures.weights(m);
      for (int i = 0; i < resumed.length; i++) {
        assertArrayEquals(uninterrupted[i], resumed[i], "seed 7, param " + i);
      }
    }
  }

  @Test
  void nanLossStopsAndKeepsLastGoodCheckpoint() throws IOException {
    Split data = TrainFixtures.digits(96, 32);
    OptimizerConfig good = Optimizer.sgd(0.01);
    try (Sequential m = TrainFixtures.model(ops, SMALL, 9);
        Trainer t = TrainFixtures.trainer(m, data, 1, 9, good, "constant", dir)) {
      t.fit(data, 0, 0);
    }
    Path file = dir.resolve(TrainConfig.CHECKPOINT_NAME);
    byte[] before = Files.readAllBytes(file);
    Checkpoint c = CheckpointIO.read(file);
    try (Sequential m = TrainFixtures.model(ops, SMALL, 9);
        Trainer t = TrainFixtures.trainer(m, data, 3, 9, good, "constant", dir)) {
      c.restoreModel(m);
      // One NaN weight, injected directly: the first loss of epoch 2 is NaN whatever the rounding.
      Tensor firstWeights = m.params().get(0).value();
      float[] w = ops.read(firstWeights);
      w[0] = Float.NaN;
      ops.write(firstWeights, w);
      TrainingDivergedException e =
          assertThrows(TrainingDivergedException.class, () -> t.fit(data, 1, c.step()));
      assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
      assertTrue(e.getMessage().contains("last good checkpoint (epoch 1)"), e.getMessage());
    }
    assertArrayEquals(before, Files.readAllBytes(file), "the good checkpoint must stay untouched");
  }

  @Test
  void weightsThatOverflowInTheLastStepAreNotSaved() throws IOException {
    // Two steps of 64: both losses are finite, but the updates with lr 1e30
    // leave weights that overflow, so the epoch must not be written as a good checkpoint.
    Split data = TrainFixtures.digits(128, 64);
    OptimizerConfig wild = Optimizer.sgd(1e30);
    TrainConfig cfg =
        TrainConfig.builder()
            .epochs(1)
            .seed(11)
            .optimizer(wild)
            .schedule(LrSchedule.constant())
            .runDir(dir)
            .build();
    try (Sequential m = TrainFixtures.model(ops, SMALL, 11);
        Trainer t = TrainFixtures.trainer(m, data, cfg, wild.create(), null)) {
      TrainingDivergedException e =
          assertThrows(TrainingDivergedException.class, () -> t.fit(data, 0, 0));
      assertTrue(e.getMessage().contains("after epoch 1"), "seed 11: " + e.getMessage());
      assertTrue(e.getMessage().contains("no checkpoint was written"), e.getMessage());
    }
    assertTrue(Files.notExists(dir.resolve(TrainConfig.CHECKPOINT_NAME)), "seed 11");
    assertTrue(Files.notExists(dir.resolve(MetricsCsv.NAME)), "seed 11");
  }

  @Test
  void everyDeviceBufferIsReleased() throws IOException {
    Split data = TrainFixtures.digits(64, 40);
    OptimizerConfig adam = Optimizer.adam(0.001);
    try (Sequential m = TrainFixtures.model(ops, STOCHASTIC, 13);
        Trainer t = TrainFixtures.trainer(m, data, 1, 13, adam, "constant", dir)) {
      t.fit(data, 0, 0);
      t.evaluate(data.test().limit(7));
    }
    assertEquals(
        0, ops.liveBuffers(), "model, optimizer state and batch tensors must all be closed");
  }

  @Test
  void nonFiniteWeightsBehindAReluStopTheRunWithinTheCheckInterval() throws IOException {
    // NaN weights in the first convolution: the ReLU after it turns its NaN outputs into 0, so
    // the loss stays finite; only the parameter check can see them.
    Split data = TrainFixtures.digits(4 * 120, 32);
    OptimizerConfig sgd = Optimizer.sgd(0.01);
    TrainConfig cfg =
        TrainConfig.builder()
            .epochs(1)
            .batchSize(4)
            .seed(17)
            .optimizer(sgd)
            .schedule(LrSchedule.parse("constant"))
            .build();
    int poisonedAt = 3;
    int[] lastStep = {0};
    try (Sequential m = TrainFixtures.model(ops, "conv3x3x2-relu-maxpool2-dense10", 17)) {
      TrainListener poison =
          new TrainListener() {
            @Override
            public void stepDone(int epoch, int step, double loss) {
              lastStep[0] = step;
              if (step == poisonedAt) {
                var w = m.params().get(0).value();
                float[] nan = new float[w.shape().size()];
                java.util.Arrays.fill(nan, Float.NaN);
                ops.write(w, nan);
              }
            }
          };
      try (Trainer t = TrainFixtures.trainer(m, data, cfg, sgd.create(), poison)) {
        TrainingDivergedException e =
            assertThrows(TrainingDivergedException.class, () -> t.fit(data, 0, 0));
        assertTrue(
            lastStep[0] <= poisonedAt + Trainer.PARAMETER_CHECK_STEPS,
            "stopped after step " + lastStep[0] + " of 120: " + e.getMessage());
        assertTrue(e.getMessage().contains("0.conv3x3x2.weights"), e.getMessage());
      }
    }
  }

  @Test
  void aStopRequestEndsTheRunAfterTheCurrentStepAndKeepsTheLastCheckpoint() throws IOException {
    Split data = TrainFixtures.digits(128, 32);
    OptimizerConfig sgd = Optimizer.sgd(0.01);
    int[] steps = {0};
    TrainListener count =
        new TrainListener() {
          @Override
          public void stepDone(int epoch, int step, double loss) {
            steps[0]++;
          }
        };
    try (Sequential m = TrainFixtures.model(ops, SMALL, 19);
        Trainer t =
            TrainFixtures.trainer(
                m, data, TrainFixtures.config(3, 19, sgd, "constant", dir), sgd.create(), count)) {
      t.stopWhen(() -> steps[0] == 6);
      TrainingInterruptedException e =
          assertThrows(TrainingInterruptedException.class, () -> t.fit(data, 0, 0));
      assertEquals(2, e.epoch(), "4 steps per epoch");
      assertEquals(2, e.step());
      assertEquals(1, e.lastEpoch());
      assertEquals(6, t.steps());
    }
    assertEquals(1, CheckpointIO.read(dir.resolve(TrainConfig.CHECKPOINT_NAME)).epoch());
    assertEquals(1, MetricsCsv.read(dir).size());
  }

  @Test
  void schedules() {
    assertEquals(0.1f, LrSchedule.parse("constant").at(0.1f, 7, 0.5, 10), 1e-7);
    assertEquals(0.025f, LrSchedule.parse("step:2:0.5").at(0.1f, 5, 0.0, 10), 1e-7);
    LrSchedule cos = LrSchedule.parse("cosine");
    assertEquals(0.1f, cos.at(0.1f, 0, 0, 10), 1e-7);
    assertEquals(0.05f, cos.at(0.1f, 5, 0, 10), 1e-6);
    assertEquals(0f, cos.at(0.1f, 9, 1.0, 10), 1e-6);
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.parse("linear"));
  }
}
