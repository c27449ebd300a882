package org.convcl.testutil;

import java.util.List;
import java.util.Random;
import org.convcl.cpu.CpuOps;
import org.convcl.impl.Overrides;
import org.convcl.ops.Activation;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;

/**
 * Seeded cases of the convolution fused with the max pool after it ({@code Ops.convMaxPoolForward}
 * and {@code convMaxPoolBackwardFilter}): a random convolution ({@link RandomGeometry#conv}, with
 * stride 1 along the width, which the CPU backend's fused kernels need) and a random max pool over
 * its output (overlapping and gapped windows, padding, ceil mode), and a CpuOps that fuses them.
 */
public final class ConvMaxPoolCase {
  /** No activation, ReLU and leaky ReLU: what a convolution fuses. */
  public static final Activation[] EPILOGUES = {null, Activation.RELU, Activation.leakyRelu(0.1f)};

  private ConvMaxPoolCase() {}

  /** A convolution and the max pool over its output. */
  public record Case(ConvGeometry conv, PoolGeometry pool) {
    @Override
    public String toString() {
      return conv + " then " + pool;
    }
  }

  /** The case of {@code seed}: kernels up to 4, inputs up to {@code maxSize} per side. */
  public static Case draw(long seed, int maxSize) {
    Random r = new Random(seed);
    ConvGeometry g = RandomGeometry.conv(r, 4, maxSize);
    ConvParams p = g.params();
    ConvGeometry conv =
        ConvGeometry.of(g.n(), g.c(), g.h(), g.w(), g.k(), p.withStride(p.strideH(), 1));
    return new Case(conv, pool(r, conv));
  }

  /** A max pool whose input is the output of {@code conv}. */
  private static PoolGeometry pool(Random r, ConvGeometry conv) {
    while (true) {
      PoolParams p = RandomGeometry.poolParams(r, 3);
      if (!RandomGeometry.poolFits(p, conv.outH(), conv.outW())) {
        continue;
      }
      try {
        return PoolGeometry.of(conv.outputShape(), p);
      } catch (IllegalArgumentException refused) {
        // a draw PoolGeometry refuses (such as a ceil-mode window of padding only): draw again
      }
    }
  }

  /**
   * A CpuOps on {@code threads} threads that chooses the direct kernels for the forward and the
   * filter gradient of every shape, so that it fuses every case of {@link #draw}.
   */
  public static CpuOps fusingCpu(int threads) {
    CpuOps ops = new CpuOps(threads);
    ops.implementations()
        .orElseThrow()
        .override(Overrides.parse(List.of("convForward=direct convBackwardFilter=direct")));
    return ops;
  }

  /** Whether {@code ops} says it fuses the case with {@code f}. */
  public static boolean fuses(Ops ops, Case c, Activation f) {
    return ops.fusesConvMaxPool(c.conv(), f, c.pool());
  }
}
