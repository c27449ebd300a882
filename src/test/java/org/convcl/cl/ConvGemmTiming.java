package org.convcl.cl;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convcl.bench.Bench;
import org.convcl.cl.ConvGemmKernels.Pass;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.DType;
import org.convcl.tensor.Tensor;
import org.convcl.testutil.Rand;

/**
 * A plain timing harness (not a test): GFLOP/s of conv_igemm.cl under given settings beside the
 * direct kernels (conv_forward_v2, conv_backward_input_v3, conv_backward_filter_partial_v2), in one
 * sitting, on the shapes of {@code convcl bench}. Device time is the summed profiling events of
 * every kernel of a pass (partial sums and their reduction included); the median of the repeats.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) org.convcl.cl.ConvGemmTiming \
 *     [--device P:D] [--repeats 5] [--shapes 0,1,3] [--passes FORWARD,BACKWARD_INPUT] \
 *     [MWG=64,NWG=64,KWG=16 ...]
 * </pre>
 *
 * Each trailing argument is one setting (unnamed tunables take the pass's defaults; {@code default}
 * is the defaults alone, as is giving none). A setting a shape rejects prints its reason instead of
 * a figure.
 */
final class ConvGemmTiming {
  private ConvGemmTiming() {}

  public static void main(String[] args) throws ReflectiveOperationException {
    int platform = 0;
    int device = 0;
    int repeats = 5;
    List<Integer> shapeIndexes = null;
    List<Pass> passes = Arrays.asList(Pass.values());
    List<Map<String, Integer>> settings = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--device" -> {
          String[] pd = args[++i].split(":");
          platform = Integer.parseInt(pd[0]);
          device = Integer.parseInt(pd[1]);
        }
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--shapes" ->
            shapeIndexes = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        case "--passes" -> passes = Arrays.stream(args[++i].split(",")).map(Pass::valueOf).toList();
        default -> settings.add(parse(args[i]));
      }
    }
    if (settings.isEmpty()) {
      settings.add(Map.of());
    }
    List<ConvGeometry> shapes = benchShapes();
    try (ClOps ops = new ClOps(platform, device)) {
      System.out.println("# " + ops.name() + ", median of " + repeats + " (kernel time)");
      for (int s = 0; s < shapes.size(); s++) {
        if (shapeIndexes == null || shapeIndexes.contains(s)) {
          time(ops, shapes.get(s), passes, settings, repeats);
        }
      }
    }
  }

  /** {@code convcl bench}'s convolution shapes: Bench.CONV_SHAPES, the one list of them. */
  @SuppressWarnings("unchecked")
  static List<ConvGeometry> benchShapes() throws ReflectiveOperationException {
    Field f = Bench.class.getDeclaredField("CONV_SHAPES");
    f.setAccessible(true);
    return (List<ConvGeometry>) f.get(null);
  }

  private static Map<String, Integer> parse(String setting) {
    Map<String, Integer> m = new LinkedHashMap<>();
    if (setting.equals("default")) {
      return m;
    }
    for (String kv : setting.split(",")) {
      String[] p = kv.split("=");
      m.put(p[0], Integer.parseInt(p[1]));
    }
    return m;
  }

  private static void time(
      ClOps ops,
      ConvGeometry g,
      List<Pass> passes,
      List<Map<String, Integer>> settings,
      int repeats) {
    Random r = new Random(1);
    try (Tensor x = ops.upload(g.inputShape(), Rand.floats(r, g.inputShape().size()));
        Tensor w = ops.upload(g.weightShape(), Rand.floats(r, g.weightShape().size()));
        Tensor b = ops.upload(g.biasShape(), Rand.floats(r, g.k()));
        Tensor dy = ops.upload(g.outputShape(), Rand.floats(r, g.outputShape().size()));
        Tensor y = ops.allocate(g.outputShape(), DType.FLOAT32);
        Tensor dx = ops.allocate(g.inputShape(), DType.FLOAT32);
        Tensor dw = ops.allocate(g.weightShape(), DType.FLOAT32)) {
      for (Pass p : passes) {
        Runnable direct =
            switch (p) {
              case FORWARD -> () -> ops.convForward(x, w, b, y, g);
              case BACKWARD_INPUT -> () -> ops.convBackwardInput(dy, w, dx, g);
              case BACKWARD_FILTER -> () -> ops.convBackwardFilter(x, dy, dw, g);
            };
        report(g, p, "direct (default kernel)", ops, direct, repeats);
        for (Map<String, Integer> s : settings) {
          var why = ConvGemmKernels.rejection(p, g, ops.device(), s);
          if (why.isPresent()) {
            System.out.printf("%-30s %-15s igemm %s: rejected, %s%n", label(g), p, s, why.get());
            continue;
          }
          Runnable igemm =
              switch (p) {
                case FORWARD -> () -> ConvGemmKernels.forward(ops, x, w, b, y, g, s);
                case BACKWARD_INPUT -> () -> ConvGemmKernels.backwardInput(ops, dy, w, dx, g, s);
                case BACKWARD_FILTER -> () -> ConvGemmKernels.backwardFilter(ops, x, dy, dw, g, s);
              };
          report(g, p, "igemm " + ConvGemmKernels.options(p, s), ops, igemm, repeats);
        }
      }
    }
  }

  static String label(ConvGeometry g) {
    var q = g.params();
    return String.format(
        "%dx%dx%dx%d->%d %dx%d/%d",
        g.n(), g.c(), g.h(), g.w(), g.k(), q.kernelH(), q.kernelW(), q.strideH());
  }

  private static void report(
      ConvGeometry g, Pass p, String what, ClOps ops, Runnable run, int repeats) {
    run.run(); // warm-up: builds the program
    ops.finish();
    long[] ns = new long[repeats];
    for (int i = 0; i < repeats; i++) {
      org.convcl.ops.KernelProfiler clock = ops.kernelProfiler().orElseThrow();
      clock.start();
      run.run();
      ns[i] = org.convcl.ops.KernelProfiler.totalNanos(clock.stop());
    }
    Arrays.sort(ns);
    long median = ns[repeats / 2];
    System.out.printf(
        "%-30s %-15s %8.2f ms %7.1f GFLOP/s  %s%n",
        label(g), p, median / 1e6, g.flops() / (double) median, what);
  }
}
