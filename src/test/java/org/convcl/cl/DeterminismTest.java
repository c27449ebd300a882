package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convcl.ops.BatchNormConfig;
import org.convcl.ops.BatchNormTensors;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every reduction on the device (filter and bias gradients, dense products, batch norm, sum) gives
 * bit-identical results when run again on the same data: no atomics, fixed summation orders.
 */
@Tag("opencl")
class DeterminismTest {
  @Test
  void reductionsAreBitIdenticalRunToRun() {
    ClOps ops = ClTestSupport.ops();
    Random r = new Random(99);
    ConvGeometry g =
        ConvGeometry.of(3, 6, 15, 13, 10, ConvParams.of(3).withStride(2, 1).withGroups(2));
    Shape bn = Shape.nchw(3, 5, 9, 7);
    List<Tensor> owned = new ArrayList<>();
    try {
      Tensor x = keep(owned, ops.upload(g.inputShape(), Rand.floats(r, g.inputShape().size())));
      Tensor dy = keep(owned, ops.upload(g.outputShape(), Rand.floats(r, g.outputShape().size())));
      Tensor w = keep(owned, ops.upload(g.weightShape(), Rand.floats(r, g.weightShape().size())));
      Tensor dw = keep(owned, ops.allocate(g.weightShape(), DType.FLOAT32));
      Tensor db = keep(owned, ops.allocate(g.biasShape(), DType.FLOAT32));
      Tensor dx = keep(owned, ops.allocate(g.inputShape(), DType.FLOAT32));
      Tensor m = keep(owned, ops.upload(Shape.of(37, 53), Rand.floats(r, 37 * 53)));
      Tensor mw = keep(owned, ops.upload(Shape.of(29, 53), Rand.floats(r, 29 * 53)));
      Tensor mo = keep(owned, ops.allocate(Shape.of(37, 29), DType.FLOAT32));
      Tensor bx = keep(owned, ops.upload(bn, Rand.floats(r, bn.size())));
      Tensor by = keep(owned, ops.allocate(bn, DType.FLOAT32));
      Tensor[] stats = new Tensor[6];
      for (int i = 0; i < stats.length; i++) {
        stats[i] = keep(owned, ops.upload(Shape.of(5), new float[] {1, 1, 1, 1, 1}));
      }
      Runnable all =
          () -> {
            ops.convBackwardFilter(x, dy, dw, g);
            ops.biasBackward(dy, db);
            ops.convBackwardInput(dy, w, dx, g);
            ops.denseForward(m, mw, null, mo);
            ops.batchNormForward(
                bx,
                by,
                BatchNormTensors.forForward(
                    stats[0], stats[1], stats[2], stats[3], stats[4], stats[5]),
                BatchNormConfig.DEFAULT,
                true);
          };
      all.run();
      List<float[]> first =
          List.of(ops.read(dw), ops.read(db), ops.read(dx), ops.read(mo), ops.read(by));
      double sum = ops.sum(x);
      for (int run = 0; run < 3; run++) {
        all.run();
        List<float[]> again =
            List.of(ops.read(dw), ops.read(db), ops.read(dx), ops.read(mo), ops.read(by));
        for (int i = 0; i < first.size(); i++) {
          assertArrayEquals(first.get(i), again.get(i), "output " + i + " run " + run);
        }
        assertEquals(sum, ops.sum(x), 0.0, "sum run " + run);
      }
    } finally {
      owned.forEach(Tensor::close);
    }
  }

  private static Tensor keep(List<Tensor> owned, Tensor t) {
    owned.add(t);
    return t;
  }
}
