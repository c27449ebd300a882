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
 * opencl/conv_backward_input_rows.cl against RefOps on the shapes it was written for (LeNet's C = 1
 * layer at batch 1 and 3), and on the geometry it claims beyond them: asymmetric padding wider than
 * the kernel, dilation, groups, a width that no BI_COLS divides, channel blocks that overrun the
 * group. Outputs are NaN-poisoned, so a column or channel the kernel forgets fails. The bound is
 * the direct kernels' ({@link Tolerance}): the same terms summed in one float accumulator per
 * output. The random geometries of the contract suite run it too
 * (org.convcl.contract.ConvContractTest).
 */
@Tag("opencl")
class InputRowsKernelTest {
  /** Two builds beyond the default, covering the widest vector and channel blocking. */
  private static final List<Settings> SETTINGS =
      List.of(
          Settings.parse("BI_COLS=8,BI_CB=1,WG=64"),
          Settings.parse("BI_COLS=16,BI_CB=1,WG=32"),
          Settings.parse("BI_COLS=4,BI_CB=4,WG=16"),
          Settings.parse("BI_COLS=8,BI_CB=3,WG=64"));

  private static List<ConvGeometry> cases() {
    List<ConvGeometry> g = new ArrayList<>();
    g.add(ConvGeometry.of(1, 1, 28, 28, 20, ConvParams.of(5))); // LeNet conv1, batch 1
    g.add(ConvGeometry.of(3, 1, 28, 28, 20, ConvParams.of(5)));
    g.add(ConvGeometry.of(2, 5, 9, 13, 3, ConvParams.of(3).withPadding(new Padding(0, 2, 4, 1))));
    g.add(ConvGeometry.of(1, 3, 11, 10, 4, ConvParams.of(3).withDilation(2, 3).withPadding(2)));
    g.add(ConvGeometry.of(2, 6, 7, 17, 4, ConvParams.of(3).withGroups(2).withPadding(1)));
    g.add(ConvGeometry.of(1, 2, 5, 3, 2, ConvParams.of(4).withKernel(2, 4).withPadding(6)));
    g.add(ConvGeometry.of(1, 7, 1, 1, 3, ConvParams.of(1))); // pointwise, one column
    return g;
  }

  /**
   * v2's strided cases: the 7x7 stride-2 stem (small), strides that differ per axis, kernels
   * smaller than the stride (columns no tap reaches), dilation with stride, asymmetric padding.
   */
  private static List<ConvGeometry> stridedCases() {
    List<ConvGeometry> g = new ArrayList<>();
    g.add(ConvGeometry.of(2, 3, 32, 32, 8, ConvParams.of(7).withStride(2).withPadding(3)));
    g.add(ConvGeometry.of(1, 2, 13, 11, 3, ConvParams.of(3).withStride(3, 2).withPadding(1)));
    g.add(ConvGeometry.of(2, 5, 10, 9, 4, ConvParams.of(2).withStride(3)));
    g.add(
        ConvGeometry.of(
            1, 4, 15, 14, 3, ConvParams.of(3).withStride(2).withDilation(2, 3).withPadding(2)));
    g.add(
        ConvGeometry.of(
            2,
            6,
            9,
            19,
            4,
            ConvParams.of(5).withStride(2, 3).withGroups(2).withPadding(new Padding(3, 0, 1, 4))));
    return g;
  }

  @Test
  void anyStrideVersionMatchesTheOracleOnNaNPoisonedOutputs() {
    List<ConvGeometry> cases = new ArrayList<>(cases());
    cases.addAll(stridedCases());
    check(InputRowsKernel.NAME_ANY_STRIDE, cases);
  }

  @Test
  void matchesTheOracleOnNaNPoisonedOutputs() {
    check(InputRowsKernel.NAME, cases());
  }

  private static void check(String name, List<ConvGeometry> cases) {
    ClOps cl = ClTestSupport.ops();
    Implementation<ClOps> impl = cl.registry().find(Pass.CONV_BACKWARD_INPUT, name);
    assertNotNull(impl, "registered");
    for (int i = 0; i < cases.size(); i++) {
      ConvGeometry g = cases.get(i);
      try (Twin t = new Twin()) {
        ConvOperands o = new ConvOperands(t, g, 41 + i);
        Tensor[] dx = t.output(g.inputShape());
        t.ref.convBackwardInput(o.dy[0], o.w[0], dx[0], g);
        for (Settings s : SETTINGS) {
          assertNull(impl.whyNot(cl, g, s), g + " " + s);
          t.poison(dx);
          impl.run(cl, ConvCall.backwardInput(o.dy[1], o.w[1], dx[1], g), s);
          t.assertWithin(name + " " + s + " case " + i + " " + g, dx, o.inputBound);
        }
      }
    }
  }

  @Test
  void refusesStridesAndFiltersBeyondLocalMemory() {
    ClOps cl = ClTestSupport.ops();
    Implementation<ClOps> impl = cl.registry().find(Pass.CONV_BACKWARD_INPUT, InputRowsKernel.NAME);
    String strided =
        impl.whyNot(
            cl, ConvGeometry.of(1, 1, 9, 9, 2, ConvParams.of(3).withStride(1, 2)), impl.defaults());
    assertTrue(strided != null && strided.contains("stride"), strided);
    long floats = cl.device().localMemBytes() / 4;
    int k = (int) (floats / 9 + 1); // K*R*S floats just over the device's local memory
    String big = impl.whyNot(cl, ConvGeometry.of(1, 1, 4, 4, k, ConvParams.of(3)), impl.defaults());
    assertTrue(big != null && big.contains("local memory"), big);
  }
}
