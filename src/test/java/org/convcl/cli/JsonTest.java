package org.convcl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convcl.bench.BenchResult;
import org.junit.jupiter.api.Test;

/** --json output: one line, snake_case keys, null for figures that are not finite. */
class JsonTest {
  @Test
  void jsonIsOneLineWithNullForMissingFigures() {
    BenchResult r =
        new BenchResult(
            "opencl:0:0 (\"x\")",
            "maxPoolForward",
            "32x64x56x56 max 2x2 s2",
            4,
            true,
            3,
            1.5,
            1.25,
            0,
            3_000_000);
    String json = Json.of(r).toString();
    assertFalse(json.contains("\n"));
    assertTrue(json.contains("\"backend\":\"opencl:0:0 (\\\"x\\\")\""), json);
    assertTrue(json.contains("\"gflops\":null") && json.contains("\"gb_per_second\":2.0"), json);
    assertTrue(json.contains("\"batch_scaled\":true") && json.contains("\"kernel_ms\":1.25"), json);
  }

  @Test
  void nestsObjectsListsAndArraysAndEscapesStrings() {
    String s =
        new Json()
            .put("name", "a \"b\"\n")
            .put("matrix", new long[][] {{1, 2}, {3, 4}})
            .put("list", List.of(1, "x"))
            .put("inner", new Json().put("nan", Double.NaN).put("ok", true))
            .toString();
    assertEquals(
        "{\"name\":\"a \\\"b\\\"\\n\",\"matrix\":[[1,2],[3,4]],\"list\":[1,\"x\"],"
            + "\"inner\":{\"nan\":null,\"ok\":true}}",
        s);
  }
}
