package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Rand;
import org.junit.jupiter.api.Test;

/**
 * Two threads calling one CpuOps at once get the results each would get alone: the GEMM's scratch
 * is per worker, so calls that use it are serialised rather than sharing it.
 */
class ConcurrentCallersTest {
  @Test
  void concurrentConvolutionsOnOneBackendGiveTheSameBits() throws Exception {
    ConvGeometry a = ConvGeometry.of(4, 8, 13, 13, 12, ConvParams.of(3).withPadding(1));
    ConvGeometry b = ConvGeometry.of(3, 5, 17, 11, 7, ConvParams.of(5).withStride(2));
    Random r = new Random(9);
    float[][] in = {Rand.floats(r, a.inputShape().size()), Rand.floats(r, b.inputShape().size())};
    float[][] w = {Rand.floats(r, a.weightShape().size()), Rand.floats(r, b.weightShape().size())};
    ConvGeometry[] gs = {a, b};
    try (CpuRunner cpu = new CpuRunner(new CpuOps(2))) {
      float[][] alone = {
        cpu.convForward(in[0], w[0], null, a), cpu.convForward(in[1], w[1], null, b)
      };
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int caller = 0; caller < 2; caller++) {
          int c = caller;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 30; i++) {
                      float[] y = convOnce(cpu, in[c], w[c], gs[c]);
                      assertArrayEquals(alone[c], y, "caller " + c + ", call " + i);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  /** One forward pass with tensors of its own, released at once. */
  private static float[] convOnce(CpuRunner cpu, float[] x, float[] w, ConvGeometry g) {
    var ops = cpu.ops;
    try (var tx = ops.upload(g.inputShape(), x);
        var tw = ops.upload(g.weightShape(), w);
        var ty = ops.allocate(g.outputShape(), org.convcl.tensor.DType.FLOAT32)) {
      ops.convForward(tx, tw, null, ty, g);
      return ops.read(ty);
    }
  }
}
