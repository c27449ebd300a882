package org.convcl.bench;

import java.util.List;
import org.convcl.ops.Backends;
import org.convcl.ops.Ops;

/**
 * Produces the figures of docs/performance.md: {@code BenchRunner [--quick] spec...} runs {@link
 * Bench} on each backend spec (cpu, opencl, ...) and prints the table and the JSON lines. A
 * test-scope main (the library itself never prints); run it with the test classpath.
 */
public final class BenchRunner {
  private BenchRunner() {}

  public static void main(String[] args) {
    boolean quick = false;
    for (String a : args) {
      if (a.equals("--quick")) {
        quick = true;
        continue;
      }
      try (Ops ops = Backends.open(a)) {
        List<BenchResult> results = Bench.run(ops, quick);
        System.out.println(Bench.formatTable(results));
        results.forEach(System.out::println);
        System.out.println();
      }
    }
  }
}
