package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Dataset;
import org.convcl.data.Split;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTest {
  private static final String SPEC = "conv5x5x6-relu-maxpool2-dense10";

  @Test
  void refusesAModelWhoseOutputsDoNotMatchTheClasses() {
    try (CpuOps ops = new CpuOps()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Classifier.create(ops, SPEC, Shape.of(1, 28, 28), List.of("a", "b"), 1));
      assertTrue(e.getMessage().contains("model outputs"), e.getMessage());
      assertTrue(e.getMessage().contains("2"), e.getMessage());
      assertEquals(0, ops.liveBuffers(), "the half-built model is released");
    }
  }

  @Test
  void trainsPredictsAndSavesACheckpointThatReadsBack(@TempDir Path dir) throws Exception {
    Split data = TrainFixtures.digits(256, 64);
    Dataset train = data.train();
    TrainConfig config =
        TrainConfig.builder()
            .epochs(1)
            .batchSize(32)
            .seed(5)
            .optimizer(Optimizer.adam(2e-3))
            .schedule(LrSchedule.constant())
            .build();
    try (CpuOps ops = new CpuOps();
        Classifier net = Classifier.create(ops, SPEC, train.itemShape(), train.classNames(), 5)) {
      List<EpochMetrics> epochs = net.fit(data, config);
      assertEquals(1, epochs.size());
      assertTrue(epochs.get(0).testAccuracy() > 0.5, "one epoch should beat chance: " + epochs);

      byte[] first = train.image(0);
      float[] p = net.probabilities(first);
      assertEquals(10, p.length);
      double sum = 0;
      for (float v : p) {
        assertTrue(v >= 0 && v <= 1, Arrays.toString(p));
        sum += v;
      }
      assertEquals(1.0, sum, 1e-5);
      assertTrue(train.classNames().contains(net.predict(first)));

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> net.probabilities(new byte[10]));
      assertTrue(e.getMessage().contains("pixels of image 0 = 10"), e.getMessage());

      Path file = dir.resolve("model.ccl");
      net.save(file);
      Checkpoint c = CheckpointIO.read(file);
      assertEquals(SPEC, c.spec());
      assertEquals(train.classNames(), c.classNames());
      assertEquals(1, c.epoch());
    }
  }

  @Test
  void loadsWhatItSavedAndPredictsInBatchesAsOneByOne(@TempDir Path dir) throws Exception {
    Split data = TrainFixtures.digits(256, 40);
    Dataset test = data.test();
    TrainConfig config =
        TrainConfig.builder()
            .epochs(1)
            .batchSize(32)
            .seed(3)
            .optimizer(Optimizer.adam(2e-3))
            .build();
    List<Integer> steps = new java.util.ArrayList<>();
    List<EpochMetrics> heard = new java.util.ArrayList<>();
    TrainListener listener =
        new TrainListener() {
          @Override
          public void stepDone(int epoch, int step, double loss) {
            steps.add(step);
          }

          @Override
          public void epochDone(EpochMetrics m) {
            heard.add(m);
          }
        };
    Path file = dir.resolve("m.ccl");
    float[][] before;
    try (CpuOps ops = new CpuOps();
        Classifier net =
            Classifier.of(
                org.convcl.nn.Sequential.builder()
                    .conv(5, 6)
                    .relu()
                    .maxPool(2)
                    .dense(10)
                    .build(ops, test.itemShape(), 3),
                test.classNames(),
                3)) {
      List<EpochMetrics> m = net.fit(data, config, listener);
      assertEquals(m, heard, "the listener hears every epoch");
      assertEquals(256 / 32, steps.size(), "and every step: " + steps);
      before = net.probabilities(test);
      List<byte[]> images = new java.util.ArrayList<>();
      for (int i = 0; i < test.size(); i++) {
        images.add(test.image(i));
        // One image at a time and in a batch: the same rows (batching must not mix images).
        assertArrayEquals(net.probabilities(test.image(i)), before[i], 1e-6f, "image " + i);
      }
      assertEquals(net.predict(test), net.predict(images));
      net.save(file);
    }
    try (CpuOps ops = new CpuOps();
        Classifier back = Classifier.load(ops, file)) {
      float[][] after = back.probabilities(test);
      for (int i = 0; i < test.size(); i++) {
        assertArrayEquals(before[i], after[i], 0f, "a loaded classifier predicts as the saved one");
      }
      assertEquals(test.classNames(), back.classNames());
    }
    try (Classifier auto = Classifier.load(file)) {
      assertEquals(10, auto.probabilities(test.image(0)).length, "load(Path) picks a backend");
    }
  }

  @Test
  void keepBestEndsWithTheBestEpochAndEarlyStoppingStops(@TempDir Path dir) throws Exception {
    Split data = TrainFixtures.digits(128, 64);
    // 128 training images and a brisk Adam: the held-out loss stops falling within a few epochs
    // (the model overfits), and patience 1 stops the run one epoch after its best.
    TrainConfig config =
        TrainConfig.builder()
            .epochs(6)
            .batchSize(32)
            .seed(9)
            .optimizer(Optimizer.adam(3e-3))
            .schedule(LrSchedule.constant())
            .earlyStopping(1)
            .keepBest(true)
            .monitor(Monitor.LOSS)
            .runDir(dir)
            .build();
    int[] stopped = new int[2];
    try (CpuOps ops = new CpuOps();
        Classifier net =
            Classifier.create(ops, SPEC, data.train().itemShape(), data.train().classNames(), 9)) {
      List<EpochMetrics> m =
          net.fit(
              data,
              config,
              new TrainListener() {
                @Override
                public void stoppedEarly(int epoch, int bestEpoch) {
                  stopped[0] = epoch;
                  stopped[1] = bestEpoch;
                }
              });
      int best = 0;
      for (int i = 1; i < m.size(); i++) {
        if (m.get(i).testLoss() < m.get(best).testLoss()) {
          best = i;
        }
      }
      EvalResult now = net.evaluate(data.test());
      assertEquals(m.get(best).testLoss(), now.loss(), 1e-6, "the classifier holds the best epoch");
      Checkpoint saved = CheckpointIO.read(dir.resolve(TrainConfig.BEST_NAME));
      assertEquals(best + 1, saved.epoch(), "best.ccl is the best epoch: " + m);
      assertTrue(m.size() < 6, "this run overfits its 128 images and stops early: " + m);
      assertEquals(m.size(), stopped[0], "the listener heard the early stop");
      assertEquals(best + 1, stopped[1]);
      assertEquals(m.size() - 1, best + 1, "patience 1: stopped one epoch after the best");
    }
  }

  @Test
  void epochControlStopsAfterPatienceAndCutsTheRateOnPlateaus() {
    TrainConfig config =
        TrainConfig.builder()
            .schedule(LrSchedule.plateau(2, 0.5))
            .earlyStopping(3)
            .monitor(Monitor.ACCURACY)
            .build();
    EpochControl c = new EpochControl(config);
    double[] accuracies = {0.5, 0.6, 0.6, 0.55, 0.7, 0.7, 0.7, 0.7};
    boolean[] stops = new boolean[accuracies.length];
    double[] scales = new double[accuracies.length];
    for (int e = 0; e < accuracies.length; e++) {
      stops[e] = c.observe(new EpochMetrics(e + 1, 0, 0, 0, 0, accuracies[e], 0, 0)).stop();
      scales[e] = c.lrScale();
    }
    assertEquals(5, c.bestEpoch());
    assertArrayEquals(new boolean[] {false, false, false, false, false, false, false, true}, stops);
    assertArrayEquals(new double[] {1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25}, scales, 1e-12);
  }

  @Test
  void scheduleFactoriesParseAndPrintTheSameText() {
    for (LrSchedule s :
        List.of(
            LrSchedule.constant(),
            LrSchedule.cosine().withWarmup(2),
            LrSchedule.step(3, 0.5),
            LrSchedule.plateau(2, 0.25).withWarmup(1))) {
      assertEquals(s, LrSchedule.parse(s.toString()), s.toString());
    }
    LrSchedule warm = LrSchedule.constant().withWarmup(2);
    // 10 steps per epoch, 2 warm-up epochs: step k of 20 runs at (k+1)/20 of the rate.
    assertEquals(0.1f / 20, warm.at(0.1f, 0, 0, 10, 5), 1e-9);
    assertEquals(0.1f * 15 / 20, warm.at(0.1f, 1, 4, 10, 5), 1e-9);
    assertEquals(0.1f, warm.at(0.1f, 2, 0, 10, 5), 1e-9);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.parse("plateau:0"));
    assertTrue(e.getMessage().contains("patience"), e.getMessage());
  }

  @Test
  void optimizerFactoriesCarryTheirSettings() {
    OptimizerConfig sgd = Optimizer.sgd(0.05).withMomentum(0.9).withNesterov(true);
    assertEquals(OptimizerKind.SGD, sgd.kind());
    assertEquals(0.9f, sgd.momentum());
    assertTrue(sgd.nesterov());
    assertEquals(OptimizerKind.ADAM, Optimizer.adam(1e-3).kind());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0.1).withMomentum(1));
    assertTrue(e.getMessage().startsWith("momentum = 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(-1));
    assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().epochs(0).build());
  }

  @Test
  void keepPartialBatchTrainsOnTheLeftoverImages() throws Exception {
    Split data = TrainFixtures.digits(100, 20);
    for (boolean keep : new boolean[] {false, true}) {
      TrainConfig config =
          TrainConfig.builder().epochs(1).batchSize(32).seed(4).keepPartialBatch(keep).build();
      int[] steps = new int[2];
      try (CpuOps ops = new CpuOps();
          Classifier net =
              Classifier.create(
                  ops, SPEC, data.train().itemShape(), data.train().classNames(), 4)) {
        List<EpochMetrics> m =
            net.fit(
                data,
                config,
                new TrainListener() {
                  @Override
                  public void epochStarted(int epoch, int stepsPerEpoch, int batchSize) {
                    steps[0] = stepsPerEpoch;
                  }

                  @Override
                  public void stepDone(int epoch, int step, double loss) {
                    steps[1]++;
                  }
                });
        // 100 images in batches of 32: three full steps, and a fourth of 4 images when kept.
        assertEquals(keep ? 4 : 3, steps[0]);
        assertEquals(keep ? 4 : 3, steps[1]);
        assertTrue(Double.isFinite(m.get(0).trainLoss()));
      }
    }
  }
}
