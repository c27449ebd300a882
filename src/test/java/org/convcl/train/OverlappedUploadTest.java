package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.convcl.cl.ClTestSupport;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Split;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Batches uploaded during the step before (two batch slots, staged writes from pinned memory) train
 * exactly as batches written with a blocking write at the start of their own step: the same kernels
 * in the same order on the same data, so the same weights and metrics bit for bit. Two epochs with
 * a partial last batch, so the slot rotation, the tail and the evaluation between epochs all run.
 */
@Tag("opencl")
class OverlappedUploadTest {
  private static final String SPEC = "conv3x3x4-bn-relu-maxpool2-dropout0.2-dense16-relu-dense10";

  /** 5 full batches of 16 and a partial one of 7. */
  private static final int TRAIN = 5 * 16 + 7;

  @Test
  void openClOverlappedUploadsGiveTheWeightsOfBlockingOnes() throws IOException {
    compare(ClTestSupport.ops()); // the tests' shared backend: not ours to close
  }

  @Test
  void cpuOverlappedUploadsGiveTheWeightsOfBlockingOnes() throws IOException {
    try (Ops cpu = new CpuOps()) {
      compare(cpu);
    }
  }

  private static void compare(Ops ops) throws IOException {
    Split data = TrainFixtures.digits(TRAIN, 32);
    OptimizerConfig adam = Optimizer.adam(2e-3);
    Run blocking = train(ops, data, adam, false);
    Run overlapped = train(ops, data, adam, true);
    for (int e = 0; e < blocking.metrics().size(); e++) {
      EpochMetrics want = blocking.metrics().get(e);
      EpochMetrics got = overlapped.metrics().get(e);
      assertEquals(want.trainLoss(), got.trainLoss(), "epoch " + (e + 1) + " train loss");
      assertEquals(want.trainAccuracy(), got.trainAccuracy(), "epoch " + (e + 1) + " accuracy");
      assertEquals(want.testLoss(), got.testLoss(), "epoch " + (e + 1) + " test loss");
    }
    for (int i = 0; i < blocking.weights().length; i++) {
      assertArrayEquals(blocking.weights()[i], overlapped.weights()[i], "parameter " + i);
    }
  }

  private record Run(List<EpochMetrics> metrics, float[][] weights) {}

  private static Run train(Ops ops, Split data, OptimizerConfig opt, boolean overlap) {
    TrainConfig cfg =
        TrainConfig.builder()
            .epochs(2)
            .batchSize(16)
            .seed(13)
            .optimizer(opt)
            .schedule(LrSchedule.parse("constant"))
            .keepPartialBatch(true)
            .build();
    try (Sequential m = org.convcl.nn.ModelSpec.build(ops, SPEC, Shape.of(1, 28, 28), 13);
        Trainer t = TrainFixtures.trainer(m, data, cfg, opt.create(), null)) {
      if (!overlap) {
        t.uploadSynchronously();
      }
      List<EpochMetrics> metrics = t.fit(data, 0, 0);
      return new Run(metrics, TrainFixtures.weights(m));
    }
  }
}
