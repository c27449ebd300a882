package org.convcl.train;

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
        new TrainConfig(
            1,
            32,
            5,
            new OptimizerConfig("adam", 2e-3f, 0f, false, 0f),
            LrSchedule.parse("constant"),
            null);
    try (CpuOps ops = new CpuOps();
        Classifier net = Classifier.create(ops, SPEC, train.itemShape(), train.classNames(), 5)) {
      List<EpochMetrics> epochs = net.fit(data, config);
      assertEquals(1, epochs.size());
      assertTrue(epochs.get(0).testAccuracy() > 0.5, "one epoch should beat chance: " + epochs);

      byte[] first = Arrays.copyOf(train.pixels(), train.itemShape().size());
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
      assertTrue(e.getMessage().contains("image pixels = 10"), e.getMessage());

      Path file = dir.resolve("model.ccl");
      net.save(file);
      Checkpoint c = CheckpointIO.read(file);
      assertEquals(SPEC, c.spec());
      assertEquals(train.classNames(), c.classNames());
      assertEquals(1, c.epoch());
    }
  }
}
