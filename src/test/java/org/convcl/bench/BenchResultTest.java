package org.convcl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convcl.tensor.ConvGeometry;
import org.junit.jupiter.api.Test;

/** The derived figures, the JSON line and the table of bench results (no device needed). */
class BenchResultTest {
  @Test
  void derivedFiguresFollowTheirDefinitions() {
    ConvGeometry g = Bench.CONV_SHAPES.get(0);
    BenchResult r =
        new BenchResult(
            "cpu", "convForward", Bench.label(g), 64, false, 3, 2.0, Double.NaN, g.flops(), 0);
    assertEquals(2L * 64 * 20 * 24 * 24 * 25, g.flops());
    assertEquals(g.flops() / 2e6, r.gflops(), 1e-9);
    assertTrue(Double.isNaN(r.kernelGflops()));
  }

  @Test
  void quickLabelsCarryTheBatchThatRan() {
    ConvGeometry standard = Bench.CONV_SHAPES.get(0);
    ConvGeometry ran = standard.withBatch(8);
    String label = Bench.label(Bench.label(ran), ran.n(), standard.n());
    assertTrue(label.startsWith("8x1x28x28 -> 20"), label);
    assertTrue(label.endsWith("(N=8 of 64)"), label);
    assertEquals(Bench.label(standard), Bench.label(Bench.label(standard), 64, 64));
  }

  @Test
  void theTableHasARowPerResultAndMarksScaledBatches() {
    List<BenchResult> rs =
        List.of(
            new BenchResult("cpu", "convForward", "a", 8, true, 3, 1, Double.NaN, 1_000_000, 0),
            new BenchResult(
                "cpu", "maxPoolBackward", "b", 4, true, 3, 1, Double.NaN, 0, 1_000_000));
    String table = Bench.formatTable(rs);
    assertTrue(table.contains("convForward") && table.contains("maxPoolBackward"), table);
    assertTrue(table.contains("8*") && table.contains("batch scaled down"), table);
  }

  @Test
  void thePeakColumnDividesWallGflopsByThePeak() {
    // 1,000,000 flops in 1 ms of wall time: 1 GFLOP/s, which is 50 % of a 2 GFLOP/s peak.
    BenchResult r =
        new BenchResult("cpu", "convForward", "a", 8, false, 3, 1, Double.NaN, 1_000_000, 0);
    String row = Bench.formatTable(List.of(r), 2.0).lines().skip(1).findFirst().orElseThrow();
    assertTrue(row.matches(".*\\s1\\.00\\s+50\\.0\\s.*"), row);
    assertTrue(Bench.formatTable(List.of(r)).contains("/ 180 GFLOP/s"));
  }
}
