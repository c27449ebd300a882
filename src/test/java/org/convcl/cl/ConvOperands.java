package org.convcl.cl;

import java.util.Random;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;

/**
 * One convolution's seeded operands on both sides of a {@link Twin} (input, weights, bias when the
 * geometry has one, gradOutput) with each pass's per-element bound ({@link Tolerance}).
 */
final class ConvOperands {
  final Tensor[] x;
  final Tensor[] w;
  final Tensor[] b;
  final Tensor[] dy;
  final double[] forwardBound;
  final double[] inputBound;
  final double[] filterBound;
  final double[] biasBound;

  ConvOperands(Twin t, ConvGeometry g, long seed) {
    Random r = new Random(seed);
    float[] xs = Rand.floats(r, g.inputShape().size());
    float[] ws = Rand.floats(r, g.weightShape().size());
    float[] bs = g.params().bias() ? Rand.floats(r, g.k()) : null;
    float[] dys = Rand.floats(r, g.outputShape().size());
    x = t.upload(g.inputShape(), xs);
    w = t.upload(g.weightShape(), ws);
    b = bs == null ? null : t.upload(g.biasShape(), bs);
    dy = t.upload(g.outputShape(), dys);
    forwardBound = Tolerance.convForward(g, xs, ws, bs);
    inputBound = Tolerance.convBackwardInput(g, dys, ws);
    filterBound = Tolerance.convBackwardFilter(g, xs, dys);
    biasBound = Tolerance.biasBackward(dys, g.n(), g.k());
  }

  /** The bias of side {@code i} (0 the reference, 1 OpenCL), or null. */
  Tensor bias(int i) {
    return b == null ? null : b[i];
  }
}
