package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.convcl.impl.ConvCall;
import org.convcl.impl.Implementation;
import org.convcl.impl.Pass;
import org.convcl.impl.Settings;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * opencl/conv_forward_rows.cl against RefOps on the shapes it was written for (LeNet's two layers
 * at small batches) and on the geometry it claims beyond them: asymmetric padding wider than the
 * kernel, dilation, groups, a row stride, widths that no FR_COLS divides, filter blocks that
 * overrun the group, no bias. Outputs are NaN-poisoned, so a column or filter the kernel forgets
 * fails. The bound is the direct kernels' ({@link Tolerance}): the same terms summed in one float
 * accumulator per output. The random geometries of the contract suite run it too, with and without
 * a fused epilogue (org.convcl.contract.ConvContractTest).
 */
@Tag("opencl")
class ForwardRowsKernelTest {
  /** Builds beyond the default, covering every vector width and filter blocking. */
  private static final List<Settings> SETTINGS =
      List.of(
          Settings.parse("FR_COLS=16,FR_KB=2,WG=64"),
          Settings.parse("FR_COLS=8,FR_KB=8,WG=32"),
          Settings.parse("FR_COLS=4,FR_KB=16,WG=16"),
          Settings.parse("FR_COLS=16,FR_KB=1,WG=128"));

  private static List<ConvGeometry> cases() {
    List<ConvGeometry> g = new ArrayList<>();
    g.add(ConvGeometry.of(2, 1, 28, 28, 20, ConvParams.of(5))); // LeNet conv1
    g.add(ConvGeometry.of(2, 20, 12, 12, 50, ConvParams.of(5))); // LeNet conv2
    g.add(ConvGeometry.of(2, 5, 9, 13, 3, ConvParams.of(3).withPadding(new Padding(0, 2, 4, 1))));
    g.add(ConvGeometry.of(1, 3, 11, 10, 4, ConvParams.of(3).withDilation(2, 3).withPadding(2)));
    g.add(ConvGeometry.of(2, 6, 7, 17, 4, ConvParams.of(3).withGroups(2).withPadding(1)));
    g.add(ConvGeometry.of(1, 2, 5, 3, 2, ConvParams.of(4).withKernel(2, 4).withPadding(6)));
    g.add(ConvGeometry.of(2, 3, 13, 9, 5, ConvParams.of(3).withStride(2, 1).withPadding(1)));
    g.add(ConvGeometry.of(1, 7, 1, 1, 3, ConvParams.of(1))); // pointwise, one column
    return g;
  }

  @Test
  void matchesTheOracleOnNaNPoisonedOutputs() {
    ClOps cl = ClTestSupport.ops();
    Implementation<ClOps> impl = cl.registry().find(Pass.CONV_FORWARD, ForwardRowsKernel.NAME);
    assertNotNull(impl, "registered");
    List<ConvGeometry> cases = cases();
    for (int i = 0; i < cases.size(); i++) {
      ConvGeometry c = cases.get(i);
      ConvGeometry g =
          i % 2 == 0
              ? c
              : ConvGeometry.of(c.n(), c.c(), c.h(), c.w(), c.k(), c.params().withBias(false));
      try (Twin t = new Twin()) {
        ConvOperands o = new ConvOperands(t, g, 73 + i);
        Tensor[] y = t.output(g.outputShape());
        t.ref.convForward(o.x[0], o.w[0], o.bias(0), y[0], g);
        for (Settings s : SETTINGS) {
          assertNull(impl.whyNot(cl, g, s), g + " " + s);
          t.poison(y);
          impl.run(cl, ConvCall.forward(o.x[1], o.w[1], o.bias(1), y[1], g), s);
          t.assertWithin(
              ForwardRowsKernel.NAME + " " + s + " case " + i + " " + g, y, o.forwardBound);
        }
      }
    }
  }

  @Test
  void refusesColumnStridesAndFiltersBeyondLocalMemory() {
    ClOps cl = ClTestSupport.ops();
    Implementation<ClOps> impl = cl.registry().find(Pass.CONV_FORWARD, ForwardRowsKernel.NAME);
    String strided =
        impl.whyNot(
            cl, ConvGeometry.of(1, 1, 9, 9, 2, ConvParams.of(3).withStride(2, 2)), impl.defaults());
    assertTrue(strided != null && strided.contains("stride"), strided);
    long floats = cl.device().localMemBytes() / 4;
    int c = (int) (floats / (9 * 2) + 1); // C*R*S*FR_KB floats just over the device's local memory
    String big = impl.whyNot(cl, ConvGeometry.of(1, c, 4, 4, 2, ConvParams.of(3)), impl.defaults());
    assertTrue(big != null && big.contains("local memory"), big);
  }
}
