package org.convcl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.convcl.cpu.CpuOps;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.ref.RefOps;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Shape;
import org.convcl.testutil.ConvMaxPoolCase;
import org.convcl.testutil.FusedPoolModels;
import org.junit.jupiter.api.Test;

/**
 * A max pool right after a convolution (and its fused activation) runs inside that convolution
 * where the backend fuses the two ({@link Conv2d#fuseMaxPool}); the model gives the logits and
 * gradients of the unfused layers.
 */
class ConvMaxPoolFusionTest {
  /**
   * The first layer's filter gradient fused, the others upsampled first (3x3 kernels: the backend
   * takes their filter gradients from the upsampled gradient); overlap, padding.
   */
  private static final String SPEC =
      "conv3x3x4-relu-maxpool2-conv3x3x6p1-lrelu0.1-maxpool3s2p1-conv1x1x3-relu-maxpool2-dense3";

  @Test
  void lenetFusesItsPoolsOnCpuAndNotOnTheReference() {
    Shape digits = Shape.of(1, 28, 28);
    try (Ops cpu = new CpuOps();
        Sequential m = ModelSpec.build(cpu, Models.spec("lenet"), digits, 1)) {
      assertEquals(List.of(2, 5), poolsInConv(m), "lenet on cpu");
    }
    try (Ops ref = new RefOps();
        Sequential m = ModelSpec.build(ref, Models.spec("lenet"), digits, 1)) {
      assertEquals(List.of(), poolsInConv(m), "lenet on the reference");
    }
  }

  @Test
  void fusedModelMatchesTheUnfusedOne() {
    try (CpuOps ops = ConvMaxPoolCase.fusingCpu(2)) {
      try (Sequential m = ModelSpec.build(ops, SPEC, FusedPoolModels.ITEM, 1)) {
        assertEquals(List.of(2, 5, 8), poolsInConv(m), SPEC);
      }
      // Against the same model with a dropout0 before each pool, which blocks both fusions.
      FusedPoolModels.compare(ops, SPEC, 6, FusedPoolBackwardTest.CPU_TOLERANCE);
    }
  }

  /**
   * A convolution that needs its input gradient and whose filter gradient the backend takes from
   * the pooled gradient ({@link Ops#pooledFilterGradientIsCheaper}: 5 taps a row behind a 2x2
   * pool): the input gradient from the upsampled one, weights and bias from the fused op.
   */
  @Test
  void aLaterConvolutionTakesItsFilterGradientFromThePooledOne() {
    String spec = "conv1x1x4-relu-conv5x5x6-relu-maxpool2-dense3";
    ConvGeometry conv = ConvGeometry.of(3, 4, 11, 11, 6, ConvParams.of(5));
    PoolGeometry pool = PoolGeometry.of(conv.outputShape(), PoolParams.of(2, 2));
    try (CpuOps ops = ConvMaxPoolCase.fusingCpu(2)) {
      assertEquals(true, ops.pooledFilterGradientIsCheaper(conv, Activation.RELU, pool), spec);
      try (Sequential m = ModelSpec.build(ops, spec, FusedPoolModels.ITEM, 1)) {
        assertEquals(List.of(4), poolsInConv(m), spec);
      }
      FusedPoolModels.compare(ops, spec, 7, FusedPoolBackwardTest.CPU_TOLERANCE);
    }
  }

  @Test
  void aConvolutionWithoutActivationTakesThePoolToo() {
    try (CpuOps ops = ConvMaxPoolCase.fusingCpu(2);
        Sequential m = ModelSpec.build(ops, "conv3x3x4-maxpool2-dense3", FusedPoolModels.ITEM, 1)) {
      assertEquals(List.of(1), poolsInConv(m));
    }
  }

  private static List<Integer> poolsInConv(Sequential m) {
    List<Layer> layers = m.layers();
    return java.util.stream.IntStream.range(0, layers.size())
        .filter(i -> layers.get(i) instanceof MaxPool2d p && p.inConv())
        .boxed()
        .toList();
  }
}
