package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.convcl.cl.ClTestSupport;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Split;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.tensor.Shape;
import org.convcl.testutil.ArrayDiff;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same short training run on the CPU backend and on OpenCL: per-epoch losses and the final
 * weights agree within float tolerance (the backends sum in different orders, so not bitwise).
 */
@Tag("opencl")
class BackendAgreementTest {
  private static final String SPEC = "conv3x3x4-bn-relu-maxpool2-dropout0.2-dense16-relu-dense10";

  @Test
  void cpuAndOpenClTrainAlike() throws IOException {
    Split data = TrainFixtures.digits(128, 64);
    OptimizerConfig sgd =
        Optimizer.sgd(0.02).withMomentum(0.9).withNesterov(true).withWeightDecay(1e-4);
    // The OpenCL backend is the tests' shared one (its programs are already built); it is not ours
    // to close.
    Ops cl = ClTestSupport.ops();
    try (Ops cpu = new CpuOps()) {
      Run a = train(cpu, data, sgd);
      Run b = train(cl, data, sgd);
      for (int e = 0; e < a.metrics.size(); e++) {
        double la = a.metrics.get(e).trainLoss();
        double lb = b.metrics.get(e).trainLoss();
        assertEquals(
            la, lb, 1e-4 + 1e-3 * Math.abs(la), "epoch " + (e + 1) + " train loss, seed 11");
      }
      for (int i = 0; i < a.weights.length; i++) {
        ArrayDiff.assertClose(
            "param " + i + " on " + cl.name() + " vs cpu, seed 11",
            Shape.of(a.weights[i].length),
            a.weights[i],
            b.weights[i],
            1e-4,
            1e-3);
      }
    }
  }

  private record Run(List<EpochMetrics> metrics, float[][] weights) {}

  private static Run train(Ops ops, Split data, OptimizerConfig opt) {
    try (Sequential m = TrainFixtures.model(ops, SPEC, 11);
        Trainer t = TrainFixtures.trainer(m, data, 2, 11, opt, "cosine", null)) {
      List<EpochMetrics> ms = t.fit(data, 0, 0);
      return new Run(ms, TrainFixtures.weights(m));
    }
  }
}
