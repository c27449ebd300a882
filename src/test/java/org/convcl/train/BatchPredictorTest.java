package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Normalization;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Sequential;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Test;

/** Predictions run in fixed batches; the batch size must not change any result. */
class BatchPredictorTest {
  @Test
  void batchesOfAnySizeGiveTheSameProbabilities() {
    long seed = 31;
    Random rand = new Random(seed);
    List<byte[]> images = new ArrayList<>();
    for (int f = 0; f < 7; f++) {
      byte[] px = new byte[64];
      rand.nextBytes(px);
      images.add(px);
    }
    try (CpuOps ops = new CpuOps();
        Sequential m = ModelSpec.build(ops, "conv3x3x4-relu-dense10", Shape.of(1, 8, 8), seed)) {
      Normalization norm = new Normalization(new float[] {0.4f}, new float[] {0.3f});
      float[][] all = BatchPredictor.probabilities(m, norm, images.size(), images::get);
      for (int batch : new int[] {1, 3, 7}) {
        float[][] some = BatchPredictor.probabilities(m, norm, images.size(), images::get, batch);
        assertEquals(images.size(), some.length);
        for (int i = 0; i < images.size(); i++) {
          assertArrayEquals(
              all[i], some[i], 1e-6f, "seed " + seed + ", batch " + batch + ", image " + i);
        }
      }
    }
  }
}
