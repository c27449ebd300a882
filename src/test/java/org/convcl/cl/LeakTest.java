package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.convcl.ops.Activation;
import org.convcl.ops.SgdConfig;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 1,000 forward/backward steps of a tiny conv-pool-dense network, allocating every activation and
 * gradient per step as a training loop would: afterwards {@code liveBuffers()} is where it began.
 */
@Tag("opencl")
class LeakTest {
  private static final int STEPS = 1000;

  @Test
  void thousandTrainingStepsLeaveNoBufferBehind() {
    ClOps ops = ClTestSupport.ops();
    long before = ops.liveBuffers();
    Random r = new Random(11);
    ConvGeometry cg = ConvGeometry.of(2, 1, 8, 8, 3, ConvParams.of(3).withPadding(1));
    PoolGeometry pg = PoolGeometry.of(cg.outputShape(), PoolParams.of(2, 2));
    int features = pg.outputShape().perItem();
    SgdConfig sgd = new SgdConfig(0.01f, 0.9f, false, 0f);
    try (Tensor x = ops.upload(cg.inputShape(), Rand.floats(r, cg.inputShape().size()));
        Tensor labels = ops.uploadInts(Shape.of(2), new int[] {1, 3});
        Tensor w = ops.upload(cg.weightShape(), Rand.floats(r, cg.weightShape().size()));
        Tensor b = ops.upload(cg.biasShape(), new float[3]);
        Tensor wv = ops.upload(cg.weightShape(), new float[cg.weightShape().size()]);
        Tensor dense = ops.upload(Shape.of(4, features), Rand.floats(r, 4 * features))) {
      for (int step = 0; step < STEPS; step++) {
        step(ops, x, labels, w, b, wv, dense, cg, pg, sgd);
      }
      ops.finish();
      assertEquals(before + 6, ops.liveBuffers(), "live buffers while the 6 parameters are open");
    }
    assertEquals(before, ops.liveBuffers(), "live buffers after " + STEPS + " steps");
  }

  private static void step(
      ClOps ops,
      Tensor x,
      Tensor labels,
      Tensor w,
      Tensor b,
      Tensor wv,
      Tensor dense,
      ConvGeometry cg,
      PoolGeometry pg,
      SgdConfig sgd) {
    int features = pg.outputShape().perItem();
    try (Tensor y = ops.allocate(cg.outputShape(), DType.FLOAT32);
        Tensor a = ops.allocate(cg.outputShape(), DType.FLOAT32);
        Tensor p = ops.allocate(pg.outputShape(), DType.FLOAT32);
        Tensor idx = ops.allocate(pg.outputShape(), DType.INT32);
        Tensor logits = ops.allocate(Shape.of(2, 4), DType.FLOAT32);
        Tensor probs = ops.allocate(Shape.of(2, 4), DType.FLOAT32);
        Tensor losses = ops.allocate(Shape.of(2), DType.FLOAT32);
        Tensor dLogits = ops.allocate(Shape.of(2, 4), DType.FLOAT32);
        Tensor dFlat = ops.allocate(Shape.of(2, features), DType.FLOAT32);
        Tensor dA = ops.allocate(cg.outputShape(), DType.FLOAT32);
        Tensor dY = ops.allocate(cg.outputShape(), DType.FLOAT32);
        Tensor dW = ops.allocate(cg.weightShape(), DType.FLOAT32);
        Tensor dB = ops.allocate(cg.biasShape(), DType.FLOAT32)) {
      ops.convForward(x, w, b, y, cg);
      ops.activationForward(Activation.RELU, y, a);
      ops.maxPoolForward(a, p, idx, pg);
      Tensor flat = ops.view(p, Shape.of(2, features));
      ops.denseForward(flat, dense, null, logits);
      ops.softmaxCrossEntropyForward(logits, labels, probs, losses);
      ops.softmaxCrossEntropyBackward(probs, labels, 0.5f, dLogits);
      ops.denseBackwardInput(dLogits, dense, dFlat);
      ops.maxPoolBackward(ops.view(dFlat, pg.outputShape()), idx, dA, pg);
      ops.activationBackward(Activation.RELU, y, a, dA, dY);
      ops.convBackwardFilter(x, dY, dW, cg);
      ops.biasBackward(dY, dB);
      ops.sgdUpdate(w, dW, wv, sgd);
      flat.close(); // a view: closing it returns nothing and must not free p
    }
  }
}
