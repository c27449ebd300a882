package org.convcl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.convcl.cpu.CpuOps;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.ref.RefOps;
import org.convcl.testutil.FusedPoolModels;
import org.junit.jupiter.api.Test;

/**
 * A ReLU or leaky ReLU (slope >= 0) directly followed by a max pool hands its backward pass to the
 * pool (see {@link MaxPool2d#fuseActivationBackward}); the model gives the same logits and
 * gradients as with the pairing blocked ({@link FusedPoolModels}).
 */
class FusedPoolBackwardTest {
  /** Overlapping (3 stride 2) and padded windows, a leaky slope, and a ReLU after batch norm. */
  static final String SPEC =
      "conv3x3x4p1-relu-maxpool2-conv3x3x4p1-lrelu0.1-maxpool3s2p1-conv1x1x3-bn-relu-maxpool2-dense3";

  @Test
  void pairsExactlyTheRectifiersBeforeAMaxPool() {
    try (Ops ops = new CpuOps();
        Sequential m =
            ModelSpec.build(
                ops,
                "conv3x3x4-relu-maxpool2-tanh-maxpool2-relu-avgpool2-conv1x1x2-lrelu0.1-maxpool1-dense3",
                FusedPoolModels.ITEM,
                1)) {
      List<Layer> l = m.layers();
      assertEquals(true, ((ActivationLayer) l.get(1)).backwardInPool(), "conv-relu-maxpool");
      assertEquals(Activation.RELU, ((MaxPool2d) l.get(2)).fusedDerivative());
      assertEquals(false, ((ActivationLayer) l.get(3)).backwardInPool(), "tanh: not from y");
      assertNull(((MaxPool2d) l.get(4)).fusedDerivative(), "after tanh");
      assertEquals(false, ((ActivationLayer) l.get(5)).backwardInPool(), "before average pool");
      assertEquals(true, ((ActivationLayer) l.get(8)).backwardInPool(), "lrelu0.1-maxpool1");
    }
  }

  /** Equal values on CPU where only ReLU meets overlapping windows (its f' is 1 or 0). */
  @Test
  void pairedModelMatchesTheBlockedOneOnCpu() {
    try (Ops ops = new CpuOps()) {
      FusedPoolModels.compare(
          ops, "conv3x3x4p1-relu-maxpool2-conv3x3x4-relu-maxpool2s1-dense3", 3, 0);
      FusedPoolModels.compare(ops, SPEC, 4, CPU_TOLERANCE);
    }
  }

  @Test
  void pairedModelMatchesTheBlockedOneOnTheReference() {
    try (Ops ops = new RefOps()) {
      FusedPoolModels.compare(ops, SPEC, 5, CPU_TOLERANCE);
    }
  }

  /**
   * Under overlapping windows with leaky ReLU the paired pool sums dy*alpha where the blocked model
   * multiplies the sum by alpha: one float rounding per cell (2^-24 relative), carried through the
   * conv and batch-norm gradients, stays far below this relative difference.
   */
  static final float CPU_TOLERANCE = 1e-5f;
}
