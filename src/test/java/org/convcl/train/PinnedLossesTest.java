package org.convcl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Split;
import org.convcl.nn.Models;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.ref.RefOps;
import org.junit.jupiter.api.Test;

/**
 * The losses of a fixed-seed 20-step LeNet run on the bundled digits (data/mnist): seed 2026, Adam
 * lr 0.001, batch 6, the first 120 training images (one epoch of 20 steps), evaluated on 8 test
 * images (small, because the reference backend is slow: about 5 s). A change anywhere in the
 * training step (an op, the initialisation, the data order, the normalisation, the optimizer) moves
 * them.
 *
 * <p>How they were produced: by {@link #run} on RefOps, in the commit that added this file (the
 * values printed by a failing run of this test, whose message lists the 20 actual losses in this
 * array's form). CpuOps gave the same losses within 4e-7 relative then.
 *
 * <p>Tolerances. RefOps is bit-reproducible: one thread, a fixed order, StrictMath; a relative 1e-6
 * only absorbs a legitimate re-ordering of one of its double sums (a 1e-16 change that may flip a
 * float rounding, 6e-8 relative, then grows a little over 20 steps). CpuOps computes in float with
 * its own summation order (which changes when its GEMM changes), deterministic but not bit-equal to
 * the reference: its per-step rounding differences of ~1e-6 relative grow through 20 steps of SGD
 * with momentum to ~1e-4, so it is held to 2e-3 relative, still far below the change of a wrong
 * gradient (the losses fall from 2.3 to ~0.5 over the run).
 */
class PinnedLossesTest {
  static final double[] PINNED = {
    2.3025851249694824,
    2.074011981487274,
    2.086302181084951,
    2.9305495421091714,
    2.268109599749247,
    2.7388288180033364,
    2.0791145165761313,
    2.089504917462667,
    2.264844616254171,
    2.1836516857147217,
    2.0390460987885795,
    2.2407822608947754,
    2.243306120236715,
    1.5165266195933025,
    2.1301111777623496,
    1.681491841872533,
    2.065554618835449,
    1.6794377366701763,
    2.3129411141077676,
    1.9514048894246419
  };

  /** The 20 step losses of the pinned run on {@code ops}. */
  static double[] run(Ops ops) throws IOException {
    Split data = TrainFixtures.digits(120, 8);
    OptimizerConfig adam = Optimizer.adam(0.001);
    TrainConfig cfg =
        TrainConfig.builder()
            .epochs(1)
            .batchSize(6)
            .seed(2026)
            .optimizer(adam)
            .schedule(LrSchedule.parse("constant"))
            .build();
    List<Double> losses = new ArrayList<>();
    TrainListener record =
        new TrainListener() {
          @Override
          public void stepDone(int epoch, int step, double loss) {
            losses.add(loss);
          }
        };
    try (Sequential m = TrainFixtures.model(ops, Models.LENET, 2026);
        Trainer t = TrainFixtures.trainer(m, data, cfg, adam.create(), record)) {
      t.fit(data, 0, 0);
    }
    return losses.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void assertPinned(Ops ops, double rtol) throws IOException {
    double[] actual = run(ops);
    String asArray =
        java.util.Arrays.stream(actual)
            .mapToObj(Double::toString)
            .collect(Collectors.joining(", "));
    assertEquals(
        PINNED.length, actual.length, ops.name() + ": steps; losses were {" + asArray + "}");
    for (int i = 0; i < PINNED.length; i++) {
      assertEquals(
          PINNED[i],
          actual[i],
          rtol * Math.abs(PINNED[i]),
          ops.name() + ": loss of step " + (i + 1) + "; losses were {" + asArray + "}");
    }
  }

  @Test
  void theReferenceReproducesThePinnedLosses() throws IOException {
    try (Ops ref = new RefOps()) {
      assertPinned(ref, 1e-6);
    }
  }

  @Test
  void theCpuBackendStaysCloseToThePinnedLosses() throws IOException {
    try (Ops cpu = new CpuOps()) {
      assertPinned(cpu, 1e-3);
    }
  }
}
