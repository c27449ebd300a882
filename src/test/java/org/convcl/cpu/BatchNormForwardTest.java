package org.convcl.cpu;

import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.ArrayDiff;
import org.convcl.testutil.CpuRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batch norm's saved and running statistics, and inference mode, on hand-computed values.
 *
 * <p>Known answers and properties that trust no implementation: run on RefOps and on CpuOps.
 */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"ref", "cpu"})
class BatchNormForwardTest {
  private static final Shape S = Shape.of(4, 1);
  private static final Shape C = Shape.of(1);
  private final CpuRunner cpu;

  BatchNormForwardTest(String backend) {
    cpu = CpuRunner.of(backend);
  }

  @AfterEach
  void close() {
    cpu.close();
  }

  @Test
  void trainingSavesBatchStatisticsAndMovesRunningOnes() {
    // x = [1, 2, 3, 4]: mean 2.5, biased variance 1.25, unbiased 5/3
    Tensor runMean = cpu.upload(C, new float[] {0});
    Tensor runVar = cpu.upload(C, new float[] {1});
    Tensor out = cpu.poisoned(S);
    Tensor saveMean = cpu.poisoned(C);
    Tensor saveInvStd = cpu.poisoned(C);
    cpu.ops.batchNormForward(
        cpu.upload(S, new float[] {1, 2, 3, 4}),
        out,
        BatchNormTensors.forForward(
            cpu.upload(C, new float[] {2}),
            cpu.upload(C, new float[] {0.5f}),
            runMean,
            runVar,
            saveMean,
            saveInvStd),
        new BatchNormConfig(0.1f, 1e-5f),
        true);
    double invStd = 1 / Math.sqrt(1.25 + 1e-5);
    ArrayDiff.assertClose("saveMean", C, new double[] {2.5}, cpu.ops.read(saveMean), 1e-6, 1e-6);
    ArrayDiff.assertClose(
        "saveInvStd", C, new double[] {invStd}, cpu.ops.read(saveInvStd), 1e-6, 1e-6);
    // running = 0.9 running + 0.1 batch, with the unbiased variance
    ArrayDiff.assertClose("runningMean", C, new double[] {0.25}, cpu.ops.read(runMean), 1e-6, 1e-6);
    ArrayDiff.assertClose(
        "runningVar", C, new double[] {0.9 + 0.1 * 5.0 / 3}, cpu.ops.read(runVar), 1e-6, 1e-6);
    double[] expected = new double[4];
    for (int i = 0; i < 4; i++) {
      expected[i] = 2 * (i + 1 - 2.5) * invStd + 0.5;
    }
    ArrayDiff.assertClose("output", S, expected, cpu.ops.read(out), 1e-6, 1e-6);
  }

  @Test
  void inferenceUsesRunningStatistics() {
    // running mean 1, variance 4: y = 3 (x - 1) / sqrt(4 + eps) - 1
    Tensor out = cpu.poisoned(S);
    cpu.ops.batchNormForward(
        cpu.upload(S, new float[] {1, 3, 5, -1}),
        out,
        BatchNormTensors.forForward(
            cpu.upload(C, new float[] {3}),
            cpu.upload(C, new float[] {-1}),
            cpu.upload(C, new float[] {1}),
            cpu.upload(C, new float[] {4}),
            null,
            null),
        new BatchNormConfig(0.1f, 1e-5f),
        false);
    double s = 3 / Math.sqrt(4 + 1e-5);
    ArrayDiff.assertClose(
        "output",
        S,
        new double[] {-1, 2 * s - 1, 4 * s - 1, -2 * s - 1},
        cpu.ops.read(out),
        1e-6,
        1e-6);
  }

  @Test
  void trainingIsStableForALargeMean() {
    // 1000 + [-1, -0.5, 0.5, 1]: mean 1000, biased variance 0.625. A one-pass E[x^2] - E[x]^2 in
    // float would lose every digit of the variance (x^2 ~ 1e6 has an ulp of 0.06).
    Tensor out = cpu.poisoned(S);
    Tensor saveMean = cpu.poisoned(C);
    Tensor saveInvStd = cpu.poisoned(C);
    cpu.ops.batchNormForward(
        cpu.upload(S, new float[] {999, 999.5f, 1000.5f, 1001}),
        out,
        BatchNormTensors.forForward(
            cpu.upload(C, new float[] {1}),
            cpu.upload(C, new float[] {0}),
            cpu.upload(C, new float[] {0}),
            cpu.upload(C, new float[] {1}),
            saveMean,
            saveInvStd),
        new BatchNormConfig(0.1f, 1e-5f),
        true);
    double invStd = 1 / Math.sqrt(0.625 + 1e-5);
    ArrayDiff.assertClose(
        "saveInvStd", C, new double[] {invStd}, cpu.ops.read(saveInvStd), 1e-5, 1e-5);
    ArrayDiff.assertClose(
        "output",
        S,
        new double[] {-invStd, -0.5 * invStd, 0.5 * invStd, invStd},
        cpu.ops.read(out),
        1e-4,
        1e-4);
  }
}
