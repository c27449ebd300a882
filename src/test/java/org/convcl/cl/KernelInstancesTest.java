package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convcl.data.DataSources;
import org.convcl.data.Normalization;
import org.convcl.data.Split;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Models;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.train.LrSchedule;
import org.convcl.train.Optimizer;
import org.convcl.train.OptimizerConfig;
import org.convcl.train.TrainConfig;
import org.convcl.train.TrainListener;
import org.convcl.train.Trainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kernel instances per call site ({@link KernelInstances}): a training step after the first three
 * passes no argument to the driver that it already holds, the results equal a fresh engine's bit
 * for bit, the instances per kernel stay bounded and every instance is released at close.
 */
@Tag("opencl")
class KernelInstancesTest {
  private static final int STEPS = 8;
  private static final int BATCH = 16;

  /**
   * The trainer alternates two batch slots (steps 1, 3, 5... on one, 2, 4, 6... on the other). Step
   * 1 creates the pool's scratch buffers as it goes, so step 3 is the first on its slot with the
   * pool's buffers handed out in their steady order; from step 4 on every call repeats a site.
   */
  private static final int STEADY_FROM = 4;

  @Test
  void sgdStepsAfterTheThirdSetNoArgumentAndMatchAFreshEngine() throws IOException {
    OptimizerConfig sgd = Optimizer.sgd(0.01).withMomentum(0.9);
    Run first;
    Run again;
    try (ClOps ops = fresh()) {
      first = train(ops, sgd);
      again = train(ops, sgd); // the same engine: its instances hold the first run's arguments
    }
    Run other;
    try (ClOps ops = fresh()) {
      other = train(ops, sgd);
    }
    assertEquals(
        0, first.steadySets(), "clSetKernelArg calls in steps " + STEADY_FROM + ".." + STEPS);
    assertEquals(
        0,
        again.steadySets(),
        "clSetKernelArg calls in steps " + STEADY_FROM + ".." + STEPS + ", rerun");
    assertTrue(first.firstSets() > 0, "the first steps set the arguments: the counter counts");
    assertSameWeights(other, first, "a fresh engine");
    assertSameWeights(other, again, "a rerun on the same engine");
  }

  /**
   * Adam's two bias corrections {@code 1 - beta^t} change every step, on every parameter: exactly
   * those are set, nothing else.
   */
  @Test
  void adamStepsSetOnlyTheBiasCorrections() throws IOException {
    OptimizerConfig adam = Optimizer.adam(1e-3);
    try (ClOps ops = fresh()) {
      Run r = train(ops, adam);
      long changing = 2L * r.params() * (STEPS - STEADY_FROM + 1);
      assertEquals(
          changing, r.steadySets(), "Adam's corrections only, steps " + STEADY_FROM + ".." + STEPS);
    }
  }

  @Test
  void instancesAreBoundedPerKernelAndReleasedAtClose() {
    int sites = KernelInstances.MAX_INSTANCES + 6;
    ClOps ops = fresh();
    List<Tensor> tensors = new ArrayList<>();
    try {
      for (int i = 0; i < sites; i++) {
        tensors.add(ops.allocate(Shape.of(5 + i), DType.FLOAT32));
      }
      for (int round = 0; round < 3; round++) { // the least recently used instances move on
        for (int i = 0; i < sites; i++) {
          ops.fill(tensors.get(i), round * 100 + i);
        }
        for (int i = 0; i < sites; i++) {
          float[] v = ops.read(tensors.get(i));
          float want = round * 100 + i;
          for (float x : v) {
            assertEquals(want, x, "round " + round + ", tensor " + i + " of " + sites);
          }
        }
      }
      assertEquals(
          KernelInstances.MAX_INSTANCES,
          ops.programs().kernelInstances(),
          "fill_v1 from " + sites + " sites: one instance each up to the bound");
    } finally {
      tensors.forEach(Tensor::close);
      ops.close();
    }
    assertEquals(0, ops.programs().kernelInstances(), "every instance released at close");
  }

  private static ClOps fresh() {
    return ClOps.open(ClTestSupport.ops().device()); // skips or fails without OpenCL
  }

  /** What a run measured: argument sets before and during the steady steps, and the weights. */
  private record Run(long firstSets, long steadySets, int params, float[][] weights) {}

  private static Run train(ClOps ops, OptimizerConfig opt) throws IOException {
    Split all = DataSources.load("mnist", null);
    Split data = new Split(all.train().limit(BATCH * STEPS), all.test().limit(BATCH));
    TrainConfig cfg =
        TrainConfig.builder()
            .epochs(1)
            .batchSize(BATCH)
            .seed(5)
            .optimizer(opt)
            .schedule(LrSchedule.parse("constant"))
            .build();
    long[] marks = new long[3];
    marks[0] = ops.programs().argumentsSet();
    TrainListener meter =
        new TrainListener() {
          @Override
          public void stepDone(int epoch, int step, double loss) {
            if (step == STEADY_FROM - 1) {
              marks[1] = ops.programs().argumentsSet();
            } else if (step == STEPS) {
              marks[2] = ops.programs().argumentsSet();
            }
          }
        };
    try (Sequential m = ModelSpec.build(ops, Models.LENET, Shape.of(1, 28, 28), 7);
        Trainer t =
            new Trainer(
                m,
                opt.create(),
                cfg,
                Normalization.of(data.train()),
                data.train().classNames(),
                Map.of(),
                meter)) {
      t.fit(data, 0, 0);
      float[][] w = m.params().stream().map(Param::value).map(ops::read).toArray(float[][]::new);
      return new Run(marks[1] - marks[0], marks[2] - marks[1], m.params().size(), w);
    }
  }

  private static void assertSameWeights(Run want, Run got, String what) {
    for (int i = 0; i < want.weights().length; i++) {
      assertArrayEquals(want.weights()[i], got.weights()[i], what + ", parameter " + i);
    }
  }
}
