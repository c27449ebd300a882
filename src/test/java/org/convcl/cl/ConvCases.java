package org.convcl.cl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.testutil.Rand;

/**
 * Seeded random convolution geometries: strides 1-3 (unequal too), padding 0-3 per side, dilation
 * 1-2, groups 1, 2, 3 or depthwise, kernels 1x1 to 7x7 (non-square too), odd and non-square inputs,
 * batch 1-3, 1-4 or (a third of the cases) 1-20 channels and filters per group, counts that are no
 * multiple of any work-group size, and (a quarter of the cases) widths up to 48. Plus fixed cases
 * that the random ones might miss (rows the filter never reaches, 7x7 stride 2, and {@link
 * #chunking()}).
 */
final class ConvCases {
  private ConvCases() {}

  static ConvGeometry random(Random r) {
    int groupsKind = r.nextInt(4);
    // A third of the cases have up to 20 channels / filters per group: more than one v2 block
    // (CONV_KB = CONV_CB = 8), so full blocks and a tail are exercised.
    int most = r.nextInt(3) == 0 ? 20 : 4;
    int cg = Rand.between(r, 1, most);
    int kg = Rand.between(r, 1, most);
    int groups = groupsKind == 3 ? Rand.between(r, 2, 5) : groupsKind + 1;
    if (groupsKind == 3) { // depthwise: one input channel per group
      cg = 1;
      kg = Rand.between(r, 1, most == 20 ? 20 : 2);
    }
    int kh = Rand.between(r, 1, 7);
    int kw = r.nextInt(3) == 0 ? kh : Rand.between(r, 1, 7);
    int sh = Rand.between(r, 1, 3);
    int sw = r.nextBoolean() ? sh : Rand.between(r, 1, 3);
    int dh = Rand.between(r, 1, 2);
    int dw = Rand.between(r, 1, 2);
    Padding pad =
        r.nextBoolean()
            ? Padding.of(Rand.between(r, 0, 3), Rand.between(r, 0, 3))
            : new Padding(
                Rand.between(r, 0, 3),
                Rand.between(r, 0, 3),
                Rand.between(r, 0, 3),
                Rand.between(r, 0, 3));
    int h = size(r, kh, dh, pad.top() + pad.bottom());
    // A quarter of the cases are wide (W up to 48), so the v2 column fast paths (vload8 at stride
    // 1,
    // vload16 at stride 2, which needs iw0 + 15 < W) are taken by random cases, not only fixed
    // ones.
    int w =
        r.nextInt(4) == 0
            ? wide(r, kw, dw, pad.left() + pad.right())
            : size(r, kw, dw, pad.left() + pad.right());
    ConvParams p = new ConvParams(kh, kw, sh, sw, pad, dh, dw, groups, r.nextInt(4) != 0);
    return ConvGeometry.of(Rand.between(r, 1, 3), cg * groups, h, w, kg * groups, p);
  }

  /** An input size the dilated kernel fits into, from tight to a few cells of slack. */
  private static int size(Random r, int k, int d, int pads) {
    int span = d * (k - 1) + 1;
    return Math.max(1, span - pads) + Rand.between(r, 0, 7);
  }

  /** Like {@link #size} but up to {@link #WIDE} cells. */
  private static int wide(Random r, int k, int d, int pads) {
    return Rand.between(r, Math.max(1, d * (k - 1) + 1 - pads), WIDE);
  }

  static final int WIDE = 48;

  /** The random cases of the differential test: {@code count} geometries from fixed seeds. */
  static List<ConvGeometry> randomCases(int count) {
    List<ConvGeometry> cases = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      cases.add(random(new Random(RANDOM_SEED + i)));
    }
    return cases;
  }

  static final long RANDOM_SEED = 20_261_123L;

  static List<ConvGeometry> fixed() {
    List<ConvGeometry> g = new ArrayList<>();
    // 1x1 stride 2 on an odd size: odd rows and columns are never read.
    g.add(ConvGeometry.of(2, 3, 7, 9, 5, ConvParams.of(1).withStride(2)));
    // stride 3, kernel 2: a third of the rows never reached; the last rows past the last window
    // too.
    g.add(ConvGeometry.of(1, 2, 11, 8, 3, ConvParams.of(2).withStride(3, 2)));
    // the ImageNet stem, small: 7x7 stride 2 pad 3.
    g.add(ConvGeometry.of(1, 3, 17, 15, 4, ConvParams.of(7).withStride(2).withPadding(3)));
    // asymmetric "same" padding with an even kernel, dilation 2.
    g.add(
        ConvGeometry.of(
            2,
            4,
            9,
            6,
            6,
            ConvParams.of(4)
                .withPadding(new Padding(1, 2, 2, 1))
                .withDilation(2, 1)
                .withGroups(2)));
    // depthwise 3x3, no bias.
    g.add(
        ConvGeometry.of(
            1, 5, 6, 7, 5, ConvParams.of(3).withPadding(1).withGroups(5).withBias(false)));
    // rows wide enough for the 8- and 16-wide vector loads of the v2/v3 kernels, strides 1 and 2.
    g.add(ConvGeometry.of(1, 3, 7, 41, 5, ConvParams.of(7).withStride(2).withPadding(3)));
    g.add(ConvGeometry.of(2, 2, 5, 37, 3, ConvParams.of(3).withStride(1, 2).withPadding(1)));
    g.add(ConvGeometry.of(1, 4, 4, 35, 6, ConvParams.of(3).withPadding(new Padding(0, 1, 2, 0))));
    // more filters and channels per group than one v2 block holds: full blocks and a tail.
    g.add(ConvGeometry.of(1, 10, 6, 19, 17, ConvParams.of(3).withPadding(1)));
    g.add(ConvGeometry.of(2, 18, 5, 11, 20, ConvParams.of(3).withStride(2).withGroups(2)));
    // kernel as large as the padded input, one output.
    g.add(ConvGeometry.of(3, 1, 5, 3, 2, ConvParams.of(3).withKernel(7, 5).withPadding(1)));
    g.addAll(chunking());
    return g;
  }

  /**
   * Geometries that reach the caps of {@code ConvKernels.chunkLength} (the filter and bias
   * gradients' batch reduction), with chunk boundaries in the middle of an output row;
   * ChunkingCasesTest checks that they still do.
   */
  static List<ConvGeometry> chunking() {
    return List.of(
        // output 3 x 30 x 33: 2970 terms and 90 rows, both over MAX_CHUNKS (64) chunks.
        ConvGeometry.of(3, 2, 32, 35, 3, ConvParams.of(3)),
        // 149,760 weights: MAX_PARTIAL_FLOATS allows only 56 chunks of the 2048 terms / 64 rows.
        ConvGeometry.of(2, 128, 34, 34, 130, ConvParams.of(3)));
  }
}
