package org.convcl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Dataset;
import org.convcl.data.Normalization;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Sequential;
import org.convcl.tensor.Shape;
import org.convcl.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict runs in fixed batches (review #12); the batch size must not change any result. */
class PredictBatchTest {
  @TempDir Path dir;

  @Test
  void batchesOfAnySizeGiveTheSameProbabilities() throws IOException {
    long seed = 31;
    Random rand = new Random(seed);
    List<Path> files = new ArrayList<>();
    for (int f = 0; f < 7; f++) {
      BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
      for (int i = 0; i < 64; i++) {
        int v = rand.nextInt(256);
        img.setRGB(i % 8, i / 8, 0xff000000 | v << 16 | v << 8 | v);
      }
      Path p = dir.resolve(f + ".png");
      ImageIO.write(img, "png", p.toFile());
      files.add(p);
    }
    try (CpuOps ops = new CpuOps();
        Sequential m = ModelSpec.build(ops, "conv3x3x4-relu-dense10", Shape.of(1, 8, 8), seed)) {
      Normalization norm = new Normalization(new float[] {0.4f}, new float[] {0.3f});
      Checkpoint c = Checkpoint.capture(m, null, Dataset.digits(), norm, 0, 0, seed, Map.of());
      Restored r = new Restored(c, m);
      float[][] all = PredictCommand.probabilities(ops, r, files, PredictCommand.BATCH);
      for (int batch : new int[] {1, 3, 7}) {
        float[][] some = PredictCommand.probabilities(ops, r, files, batch);
        assertEquals(files.size(), some.length);
        for (int i = 0; i < files.size(); i++) {
          assertArrayEquals(
              all[i], some[i], 1e-6f, "seed " + seed + ", batch " + batch + ", file " + i);
        }
      }
    }
  }
}
