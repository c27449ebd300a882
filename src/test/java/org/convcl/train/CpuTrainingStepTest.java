package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Split;
import org.convcl.nn.Models;
import org.convcl.nn.Sequential;
import org.junit.jupiter.api.Test;

/**
 * Training LeNet on the CPU backend: the same weights bit for bit with one thread, two threads and
 * again with two (every sum has a fixed order and no thread ever splits one), and no heap
 * allocation per step once the first steps have sized the scratch buffers.
 */
class CpuTrainingStepTest {
  private static final OptimizerConfig SGD = Optimizer.sgd(0.01).withMomentum(0.9);

  @Test
  void twoStepsGiveTheSameWeightsWithOneAndTwoThreads() throws IOException {
    Split data = TrainFixtures.digits(64, 32); // batch 32: two steps
    float[][] first = null;
    for (int threads : new int[] {1, 2, 2, 3}) {
      try (CpuOps ops = new CpuOps(threads);
          Sequential m = TrainFixtures.model(ops, Models.LENET, 11);
          Trainer t = TrainFixtures.trainer(m, data, 1, 11, SGD, "constant", null)) {
        t.fit(data, 0, 0);
        float[][] w = TrainFixtures.weights(m);
        if (first == null) {
          first = w;
        } else {
          for (int i = 0; i < w.length; i++) {
            assertArrayEquals(first[i], w[i], "seed 11, param " + i + ", threads " + threads);
          }
        }
      }
    }
  }

  /** Steps run, and the first one measured: the JIT has compiled the step's loops by then. */
  private static final int STEPS = 48;

  private static final int MEASURED_FROM = 24;

  /**
   * Bytes allocated by all threads (the trainer's and the backend's pool) between the ends of
   * steps, from step {@link #MEASURED_FROM} on: until the JIT has compiled a Vector API loop, each
   * call boxes its vectors on the heap, which says nothing about the loop's own allocations (a
   * tensor or scratch array made per step shows in every step, warm or not). What remains is small
   * objects per op call, no arrays: the lambdas and operand descriptors ({@code KPanel} records,
   * ~32 bytes, two per image and conv pass) of the GEMM calls, the fork-join tasks, the
   * validation's shapes and the trainer's bookkeeping; about 50 KB per LeNet step measured on 2
   * threads. The bound, 64 KiB, is under 1/40 of the first conv layer's output alone (64x20x24x24
   * floats, 2.9 MB), so any per-step tensor, im2col matrix or transposed copy breaks it. The figure
   * is the median step's: an array made per step is in every step, while one run of the whole test
   * suite read a mean of 315 MB per step (a few steps with the vectors on the heap, the JIT's doing
   * in a JVM shared with every other test), where the test alone reads 49 KB.
   */
  @Test
  void aTrainingStepAllocatesAlmostNothing() throws IOException {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Split data = TrainFixtures.digits(32 * STEPS, 32);
    List<Long> marks = new ArrayList<>();
    TrainListener meter =
        new TrainListener() {
          @Override
          public void stepDone(int epoch, int step, double loss) {
            long total = 0;
            for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
              total += Math.max(0, b);
            }
            marks.add(total);
          }
        };
    try (CpuOps ops = new CpuOps(2);
        Sequential m = TrainFixtures.model(ops, Models.LENET, 3);
        Trainer t =
            TrainFixtures.trainer(
                m, data, TrainFixtures.config(1, 3, SGD, "constant", null), SGD.create(), meter)) {
      t.fit(data, 0, 0);
    }
    long[] each = new long[marks.size() - MEASURED_FROM];
    for (int i = 0; i < each.length; i++) {
      each[i] = marks.get(MEASURED_FROM + i) - marks.get(MEASURED_FROM + i - 1);
    }
    long[] sorted = each.clone();
    java.util.Arrays.sort(sorted);
    long perStep = sorted[sorted.length / 2];
    System.out.println("CpuTrainingStepTest: " + perStep + " bytes allocated per LeNet step");
    assertTrue(
        perStep < 64 * 1024,
        perStep
            + " bytes allocated in the median step of "
            + MEASURED_FROM
            + ".."
            + marks.size()
            + ", each: "
            + java.util.Arrays.toString(each));
  }
}
