package org.convcl.cl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convcl.impl.ConvCall;
import org.convcl.impl.Implementation;
import org.convcl.impl.Pass;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Differential tests of ClOps's convolution ops (the implementations its choice table picks)
 * against the reference (RefOps): forward, input gradient, filter gradient and bias gradient on 300
 * seeded random geometries plus fixed edge cases. Every registered implementation at every setting
 * is run by org.convcl.contract.ConvContractTest.
 */
@Tag("opencl")
class ConvKernelsTest {
  private static final long BASE_SEED = ConvCases.RANDOM_SEED;
  static final int RANDOM_CASES = 300;

  @Test
  void allPassesMatchTheOracle() {
    List<ConvGeometry> cases = new ArrayList<>(ConvCases.fixed());
    cases.addAll(ConvCases.randomCases(RANDOM_CASES));
    for (int i = 0; i < cases.size(); i++) {
      long seed = BASE_SEED * 31 + i;
      check(cases.get(i), seed, "case " + i + " seed " + seed + " " + cases.get(i));
    }
  }

  private static void check(ConvGeometry g, long seed, String context) {
    try (Twin t = new Twin()) {
      ConvOperands o = new ConvOperands(t, g, seed);
      Tensor[] y = t.output(g.outputShape());
      t.ref.convForward(o.x[0], o.w[0], o.bias(0), y[0], g);
      t.cl.convForward(o.x[1], o.w[1], o.bias(1), y[1], g);
      t.assertWithin("convForward " + context, y, o.forwardBound);

      Tensor[] dx = t.output(g.inputShape());
      t.ref.convBackwardInput(o.dy[0], o.w[0], dx[0], g);
      t.cl.convBackwardInput(o.dy[1], o.w[1], dx[1], g);
      t.assertWithin("convBackwardInput " + context, dx, o.inputBound);

      Tensor[] dw = t.output(g.weightShape());
      t.ref.convBackwardFilter(o.x[0], o.dy[0], dw[0], g);
      t.cl.convBackwardFilter(o.x[1], o.dy[1], dw[1], g);
      t.assertWithin("convBackwardFilter " + context, dw, o.filterBound);

      Tensor[] db = t.output(g.biasShape());
      t.ref.biasBackward(o.dy[0], db[0]);
      t.cl.biasBackward(o.dy[1], db[1]);
      t.assertWithin("biasBackward " + context, db, o.biasBound);
    }
  }

  /** Input cells that no window reads get exactly 0 from every input-gradient version. */
  @Test
  void unreadInputCellsGetExactlyZero() {
    List<ConvGeometry> cases =
        new ArrayList<>(ConvCases.fixed().subList(0, 2)); // strided, rows skipped
    cases.add(ConvGeometry.of(1, 2, 9, 20, 3, ConvParams.of(2).withStride(3).withDilation(2)));
    for (ConvGeometry g : cases) {
      boolean[] read = readCells(g);
      Random r = new Random(5);
      ClOps cl = ClTestSupport.ops();
      try (Tensor dy = cl.upload(g.outputShape(), Rand.floats(r, g.outputShape().size()));
          Tensor w = cl.upload(g.weightShape(), Rand.floats(r, g.weightShape().size()));
          Tensor dx = cl.allocate(g.inputShape(), org.convcl.tensor.DType.FLOAT32)) {
        for (Implementation<ClOps> v : cl.registry().forPass(Pass.CONV_BACKWARD_INPUT)) {
          if (v.whyNot(cl, g, v.defaults()) != null) {
            continue;
          }
          cl.fill(dx, Float.NaN);
          v.run(cl, ConvCall.backwardInput(dy, w, dx, g), v.defaults());
          float[] out = cl.read(dx);
          int plane = g.h() * g.w();
          int unread = 0;
          for (int i = 0; i < out.length; i++) {
            if (!read[i % plane]) {
              unread++;
              org.junit.jupiter.api.Assertions.assertEquals(
                  0,
                  Float.floatToRawIntBits(out[i]),
                  v.name() + " " + g + " cell " + i + " = " + out[i]);
            }
          }
          org.junit.jupiter.api.Assertions.assertTrue(
              unread > 0, "the case must leave cells unread");
        }
      }
    }
  }

  /** Which (ih, iw) of a plane some window reads. */
  private static boolean[] readCells(ConvGeometry g) {
    ConvParams p = g.params();
    boolean[] read = new boolean[g.h() * g.w()];
    for (int oh = 0; oh < g.outH(); oh++) {
      for (int ow = 0; ow < g.outW(); ow++) {
        for (int rr = 0; rr < p.kernelH(); rr++) {
          for (int ss = 0; ss < p.kernelW(); ss++) {
            int ih = oh * p.strideH() - p.padding().top() + rr * p.dilationH();
            int iw = ow * p.strideW() - p.padding().left() + ss * p.dilationW();
            if (ih >= 0 && ih < g.h() && iw >= 0 && iw < g.w()) {
              read[ih * g.w() + iw] = true;
            }
          }
        }
      }
    }
    return read;
  }

  @Test
  void filterGradientIsBitIdenticalRunToRun() {
    ConvGeometry g = ConvGeometry.of(3, 4, 13, 11, 6, ConvParams.of(3).withPadding(1));
    Random r = new Random(7);
    ClOps cl = ClTestSupport.ops();
    try (Tensor x = cl.upload(g.inputShape(), Rand.floats(r, g.inputShape().size()));
        Tensor dy = cl.upload(g.outputShape(), Rand.floats(r, g.outputShape().size()));
        Tensor dw = cl.allocate(g.weightShape(), org.convcl.tensor.DType.FLOAT32)) {
      cl.convBackwardFilter(x, dy, dw, g);
      float[] first = cl.read(dw);
      for (int run = 0; run < 3; run++) {
        cl.fill(dw, Float.NaN);
        cl.convBackwardFilter(x, dy, dw, g);
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, cl.read(dw), "run " + run);
      }
    }
  }
}
