package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.junit.jupiter.api.Test;

/**
 * The random cases of {@link ConvKernelsTest} reach conv_forward_v2's stride-2 fast path by
 * themselves, so a mutation there is caught even if the fixed cases change. Pure arithmetic over
 * the geometries: no OpenCL device needed.
 */
class ConvCasesCoverageTest {

  @Test
  void manyRandomCasesTakeTheStride2Vload16Path() {
    List<ConvGeometry> cases = ConvCases.randomCases(ConvKernelsTest.RANDOM_CASES);
    long hits = cases.stream().filter(ConvCasesCoverageTest::takesVload16).count();
    // Without the wide quarter only a handful did (the largest W was 20).
    assertTrue(hits >= 15, hits + " of " + cases.size() + " random cases take the vload16 path");
  }

  /**
   * conv_load8 at stride 2 uses one vload16 when {@code iw0 >= 0 && iw0 + 15 < W}, with {@code iw0
   * = ow0*strideW - padLeft + s*dilationW} for each 8-column block {@code ow0} and tap s.
   */
  private static boolean takesVload16(ConvGeometry g) {
    ConvParams p = g.params();
    if (p.strideW() != 2) {
      return false;
    }
    for (int ow0 = 0; ow0 < g.outW(); ow0 += 8) {
      for (int s = 0; s < p.kernelW(); s++) {
        int iw0 = ow0 * 2 - p.padding().left() + s * p.dilationW();
        if (iw0 >= 0 && iw0 + 15 < g.w()) {
          return true;
        }
      }
    }
    return false;
  }
}
