package org.convcl.testutil;

import java.util.Random;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;

/**
 * Small random convolution and pooling geometries for differential and gradient tests: strides 1-3
 * (often unequal), padding 0-3 per side (often asymmetric), dilation 1-2, groups including
 * depthwise, kernels 1x1 to 7x7 (often non-square), odd non-square inputs and batch 1. Invalid
 * draws (kernel wider than the padded input) are drawn again, so every seed gives a geometry.
 */
public final class RandomGeometry {
  private RandomGeometry() {}

  /** A convolution whose kernel is at most {@code maxKernel} on each side, input up to 11x11. */
  public static ConvGeometry conv(Random r, int maxKernel) {
    return conv(r, maxKernel, 11);
  }

  /**
   * A convolution with kernel sides up to {@code maxKernel} and input sides up to {@code maxSize}.
   */
  public static ConvGeometry conv(Random r, int maxKernel, int maxSize) {
    while (true) {
      int groups = Rand.between(r, 1, 3);
      int c = groups * Rand.between(r, 1, 3);
      int k = groups * Rand.between(r, 1, 3);
      if (r.nextInt(4) == 0) { // depthwise: one group per input channel
        c = Rand.between(r, 1, 4);
        groups = c;
        k = c * Rand.between(r, 1, 2);
      }
      int kh = Rand.between(r, 1, maxKernel);
      int kw = Rand.between(r, 1, maxKernel);
      Padding pad =
          new Padding(
              Rand.between(r, 0, 3),
              Rand.between(r, 0, 3),
              Rand.between(r, 0, 3),
              Rand.between(r, 0, 3));
      ConvParams p =
          new ConvParams(
              kh,
              kw,
              Rand.between(r, 1, 3),
              Rand.between(r, 1, 3),
              pad,
              Rand.between(r, 1, 2),
              Rand.between(r, 1, 2),
              groups,
              r.nextBoolean());
      int h = Rand.between(r, 1, maxSize);
      int w = Rand.between(r, 1, maxSize);
      int n = r.nextInt(3) == 0 ? 1 : Rand.between(r, 1, 3);
      if (fits(h, pad.top() + pad.bottom(), kh, p.dilationH())
          && fits(w, pad.left() + pad.right(), kw, p.dilationW())) {
        return ConvGeometry.of(n, c, h, w, k, p);
      }
    }
  }

  /** A pooling window of at most {@code maxKernel} per side, ceil mode and divisor mode random. */
  public static PoolGeometry pool(Random r, int maxKernel) {
    return pool(r, maxKernel, 11);
  }

  /**
   * A pooling window up to {@code maxKernel} per side on an input up to {@code maxSize} per side.
   */
  public static PoolGeometry pool(Random r, int maxKernel, int maxSize) {
    while (true) {
      PoolParams p = poolParams(r, maxKernel);
      int h = Rand.between(r, 1, maxSize);
      int w = Rand.between(r, 1, maxSize);
      if (poolFits(p, h, w)) {
        return PoolGeometry.of(Rand.between(r, 1, 2), Rand.between(r, 1, 3), h, w, p);
      }
    }
  }

  /**
   * A pooling window up to {@code maxKernel} per side: padding up to half the kernel, strides 1-3,
   * ceil mode and divisor mode random.
   */
  public static PoolParams poolParams(Random r, int maxKernel) {
    int kh = Rand.between(r, 1, maxKernel);
    int kw = Rand.between(r, 1, maxKernel);
    Padding pad =
        new Padding(
            Rand.between(r, 0, kh / 2),
            Rand.between(r, 0, kh / 2),
            Rand.between(r, 0, kw / 2),
            Rand.between(r, 0, kw / 2));
    return new PoolParams(
        kh,
        kw,
        Rand.between(r, 1, 3),
        Rand.between(r, 1, 3),
        pad,
        r.nextBoolean(),
        r.nextBoolean());
  }

  /** Whether {@code p}'s window fits an {@code h x w} input with its padding. */
  public static boolean poolFits(PoolParams p, int h, int w) {
    Padding pad = p.padding();
    return fits(h, pad.top() + pad.bottom(), p.kernelH(), 1)
        && fits(w, pad.left() + pad.right(), p.kernelW(), 1);
  }

  private static boolean fits(int size, int pad, int kernel, int dilation) {
    return dilation * (kernel - 1) + 1 <= size + pad;
  }
}
