package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.testutil.RandomGeometry;
import org.junit.jupiter.api.Test;

/**
 * Proves that the seeds of {@link NaiveDifferentialTest} really cover the features the differential
 * test claims to check, so a change to {@link RandomGeometry} cannot quietly narrow it.
 */
class GeometryCoverageTest {

  @Test
  void convSeedsCoverEveryFeature() {
    Set<String> seen = new HashSet<>();
    NaiveDifferentialTest.convSeeds()
        .forEach(
            seed -> {
              ConvGeometry g = RandomGeometry.conv(new Random(seed), 7);
              ConvParams p = g.params();
              Padding pad = p.padding();
              seen.add("strideH " + p.strideH());
              seen.add("strideW " + p.strideW());
              if (p.strideH() != p.strideW()) seen.add("unequal strides");
              seen.add("pad " + pad.top());
              seen.add("pad " + pad.right());
              if (!pad.isSymmetric()) seen.add("asymmetric padding");
              seen.add("dilation " + p.dilationH());
              seen.add("dilation " + p.dilationW());
              if (g.groups() > 1 && g.groups() < g.c()) seen.add("groups");
              if (g.groups() == g.c() && g.c() > 1) seen.add("depthwise");
              if (p.kernelH() != p.kernelW()) seen.add("non-square kernel");
              seen.add("kernel " + p.kernelH());
              seen.add("kernel " + p.kernelW());
              if (g.h() != g.w() && g.h() % 2 == 1 && g.w() % 2 == 1) seen.add("odd non-square");
              if (g.n() == 1) seen.add("batch 1");
              if (g.n() > 1) seen.add("batch > 1");
              seen.add("bias " + p.bias());
            });
    for (String f :
        new String[] {
          "strideH 1",
          "strideH 2",
          "strideH 3",
          "strideW 3",
          "unequal strides",
          "pad 0",
          "pad 1",
          "pad 2",
          "pad 3",
          "asymmetric padding",
          "dilation 1",
          "dilation 2",
          "groups",
          "depthwise",
          "non-square kernel",
          "kernel 1",
          "kernel 7",
          "odd non-square",
          "batch 1",
          "batch > 1",
          "bias true",
          "bias false"
        }) {
      assertTrue(seen.contains(f), "conv seeds never draw: " + f);
    }
  }

  @Test
  void poolSeedsCoverEveryFeature() {
    Set<String> seen = new HashSet<>();
    NaiveDifferentialTest.poolSeeds()
        .forEach(
            seed -> {
              PoolGeometry g = RandomGeometry.pool(new Random(seed), 6);
              PoolParams p = g.params();
              if (p.ceilMode()) seen.add("ceil");
              if (!p.ceilMode()) seen.add("floor");
              seen.add("countIncludePad " + p.countIncludePad());
              if (!p.padding().isSymmetric()) seen.add("asymmetric padding");
              if (p.strideH() != p.strideW()) seen.add("unequal strides");
              if (p.strideH() < p.kernelH()) seen.add("overlapping windows");
              if (p.strideH() > p.kernelH()) seen.add("gaps between windows");
              if (p.ceilMode()
                  && g.outH()
                      > (g.h() + p.padding().top() + p.padding().bottom() - p.kernelH())
                              / p.strideH()
                          + 1) {
                seen.add("ceil adds a window");
              }
            });
    for (String f :
        new String[] {
          "ceil",
          "floor",
          "countIncludePad true",
          "countIncludePad false",
          "asymmetric padding",
          "unequal strides",
          "overlapping windows",
          "gaps between windows",
          "ceil adds a window"
        }) {
      assertTrue(seen.contains(f), "pool seeds never draw: " + f);
    }
  }
}
