package org.convcl.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.testutil.Rand;
import org.convcl.testutil.RandomGeometry;

/**
 * The geometries of the contract suite: {@link RandomGeometry}'s small cases (strides, asymmetric
 * padding, dilation, groups, odd sizes, batch 1), a third of them with channel and filter counts
 * multiplied up to 12 times, so register blocks of up to 16 channels or filters see several blocks
 * and a partial last one, a quarter pointwise (a dense layer's products, {@code N x C x 1 x 1} with
 * a 1x1 kernel), the shapes the dense GEMM claims, and a quarter depthwise ({@code groups = C}, up
 * to three filters per channel), the shapes the direct depthwise passes claim.
 */
final class ContractCases {
  static final long SEED = 20_261_201L;

  private ContractCases() {}

  static List<ConvGeometry> cases(int count, long seed) {
    Random r = new Random(seed);
    List<ConvGeometry> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ConvGeometry g = RandomGeometry.conv(r, 5, 13);
      if (i % 4 == 3) {
        // A dense layer's product: [N][C] -> [N][K] as a pointwise convolution.
        g =
            ConvGeometry.of(
                Rand.between(r, 1, 9),
                Rand.between(r, 1, 70),
                1,
                1,
                Rand.between(r, 1, 40),
                ConvParams.of(1).withBias(r.nextBoolean()));
      } else if (i % 4 == 1) {
        // Depthwise: one input channel per group, K = C * multiplier (MobileNet's layers).
        int c = Rand.between(r, 1, 24);
        g =
            ConvGeometry.of(
                g.n(), c, g.h(), g.w(), c * Rand.between(r, 1, 3), g.params().withGroups(c));
      } else if (i % 3 == 2) {
        int m = Rand.between(r, 2, 12);
        g = ConvGeometry.of(g.n(), g.c() * m, g.h(), g.w(), g.k() * m, g.params());
      }
      out.add(g);
    }
    return out;
  }
}
