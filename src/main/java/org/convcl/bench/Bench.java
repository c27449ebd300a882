package org.convcl.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.convcl.ops.KernelProfiler;
import org.convcl.ops.Ops;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;

/**
 * Times convolution forward, input gradient and filter gradient on the standard shapes, and max
 * pooling forward/backward, on any backend: warm-up, then the median of the repeats. On OpenCL the
 * summed kernel time of profiling events is reported next to the wall time.
 */
public final class Bench {
  /** The standard convolution shapes: LeNet's two layers, ResNet-like 3x3 layers, the 7x7 stem. */
  static final List<ConvGeometry> CONV_SHAPES =
      List.of(
          ConvGeometry.of(64, 1, 28, 28, 20, ConvParams.of(5)),
          ConvGeometry.of(64, 20, 12, 12, 50, ConvParams.of(5)),
          ConvGeometry.of(32, 64, 56, 56, 64, ConvParams.of(3).withPadding(1)),
          ConvGeometry.of(32, 128, 28, 28, 128, ConvParams.of(3).withPadding(1)),
          ConvGeometry.of(8, 3, 224, 224, 64, ConvParams.of(7).withStride(2).withPadding(3)),
          ConvGeometry.of(32, 256, 14, 14, 256, ConvParams.of(3).withPadding(1)));

  /** Max pool 2x2 stride 2 on 32x64x56x56. */
  static final PoolGeometry POOL_SHAPE = PoolGeometry.of(32, 64, 56, 56, PoolParams.of(2, 2));

  /** Quick mode divides the batch by this (at least 1); the results say so. */
  static final int QUICK_BATCH_DIVISOR = 8;

  private Bench() {}

  /**
   * All standard shapes on {@code ops}; {@code quick} = 1 warm-up, 3 repeats, batch / 8 (else 3
   * warm-ups and at least 15 repeats over at least 1 s, as PyTorch's bench_ops.py).
   */
  public static List<BenchResult> run(Ops ops, boolean quick) {
    Timer timer = new Timer(ops, quick);
    List<BenchResult> results = new ArrayList<>();
    Random r = new Random(1);
    for (ConvGeometry standard : CONV_SHAPES) {
      ConvGeometry g = quick ? standard.withBatch(scaled(standard.n())) : standard;
      results.addAll(conv(ops, timer, g, label(label(g), g.n(), standard.n()), quick, r));
    }
    PoolGeometry p = quick ? POOL_SHAPE.withBatch(scaled(POOL_SHAPE.n())) : POOL_SHAPE;
    results.addAll(pool(ops, timer, p, label(label(p), p.n(), POOL_SHAPE.n()), quick, r));
    return results;
  }

  private static int scaled(int n) {
    return Math.max(1, n / QUICK_BATCH_DIVISOR);
  }

  private static List<BenchResult> conv(
      Ops ops, Timer timer, ConvGeometry g, String label, boolean scaled, Random r) {
    try (Tensor x = ops.upload(g.inputShape(), random(r, g.inputShape()));
        Tensor w = ops.upload(g.weightShape(), random(r, g.weightShape()));
        Tensor b = ops.upload(g.biasShape(), random(r, g.biasShape()));
        Tensor y = ops.allocate(g.outputShape(), DType.FLOAT32);
        Tensor dy = ops.upload(g.outputShape(), random(r, g.outputShape()));
        Tensor dx = ops.allocate(g.inputShape(), DType.FLOAT32);
        Tensor dw = ops.allocate(g.weightShape(), DType.FLOAT32)) {
      long flops = g.flops();
      return List.of(
          timer.time(
              "convForward", label, g.n(), scaled, flops, 0, () -> ops.convForward(x, w, b, y, g)),
          timer.time(
              "convBackwardInput",
              label,
              g.n(),
              scaled,
              flops,
              0,
              () -> ops.convBackwardInput(dy, w, dx, g)),
          timer.time(
              "convBackwardFilter",
              label,
              g.n(),
              scaled,
              flops,
              0,
              () -> ops.convBackwardFilter(x, dy, dw, g)));
    }
  }

  private static List<BenchResult> pool(
      Ops ops, Timer timer, PoolGeometry g, String label, boolean scaled, Random r) {
    try (Tensor x = ops.upload(g.inputShape(), random(r, g.inputShape()));
        Tensor y = ops.allocate(g.outputShape(), DType.FLOAT32);
        Tensor idx = ops.allocate(g.outputShape(), DType.INT32);
        Tensor dy = ops.upload(g.outputShape(), random(r, g.outputShape()));
        Tensor dx = ops.allocate(g.inputShape(), DType.FLOAT32)) {
      // Napkin bytes: forward reads the input once and writes output + argmax; backward reads
      // gradOutput + argmax and writes gradInput.
      long bytes = 4L * g.inputShape().size() + 8L * g.outputShape().size();
      return List.of(
          timer.time(
              "maxPoolForward",
              label,
              g.n(),
              scaled,
              0,
              bytes,
              () -> ops.maxPoolForward(x, y, idx, g)),
          timer.time(
              "maxPoolBackward",
              label,
              g.n(),
              scaled,
              0,
              bytes,
              () -> ops.maxPoolBackward(dy, idx, dx, g)));
    }
  }

  private static float[] random(Random r, Shape s) {
    float[] a = new float[s.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextFloat() * 2 - 1;
    }
    return a;
  }

  /**
   * The label of the shape that ran; a quick run's scaled-down batch also names the standard N, so
   * no figure is read as that of the full batch.
   */
  static String label(String ran, int n, int standardN) {
    return n == standardN ? ran : ran + " (N=" + n + " of " + standardN + ")";
  }

  static String label(ConvGeometry g) {
    ConvParams p = g.params();
    return String.format(
        Locale.ROOT,
        "%dx%dx%dx%d -> %d k%d s%d p%s",
        g.n(),
        g.c(),
        g.h(),
        g.w(),
        g.k(),
        p.kernelH(),
        p.strideH(),
        p.padding());
  }

  static String label(PoolGeometry g) {
    return String.format(
        Locale.ROOT,
        "%dx%dx%dx%d max %dx%d s%d",
        g.n(),
        g.c(),
        g.h(),
        g.w(),
        g.params().kernelH(),
        g.params().kernelW(),
        g.params().strideH());
  }

  /** A text table of the results, one row per op and shape. */
  /**
   * The fp32 peak the "% peak" column divides by when none is given: about 180 GFLOP/s, the sgemm
   * figure measured on the 2-core development machine (docs/performance.md).
   */
  public static final double DEFAULT_PEAK_GFLOPS = 180;

  public static String formatTable(List<BenchResult> results) {
    return formatTable(results, DEFAULT_PEAK_GFLOPS);
  }

  /** The table, with wall GFLOP/s also given as a percentage of {@code peakGflops}. */
  public static String formatTable(List<BenchResult> results, double peakGflops) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-20s %-30s %5s %10s %10s %9s %7s %9s %8s%n",
            "op",
            "standard shape",
            "N",
            "wall ms",
            "kernel ms",
            "GFLOP/s",
            "% peak",
            "kGFLOP/s",
            "GB/s"));
    boolean anyScaled = false;
    for (BenchResult x : results) {
      anyScaled |= x.batchScaled();
      b.append(
          String.format(
              Locale.ROOT,
              "%-20s %-30s %5s %10.3f %10s %9s %7s %9s %8s%n",
              x.op(),
              x.shape(),
              x.batch() + (x.batchScaled() ? "*" : ""),
              x.wallMs(),
              fmt(x.kernelMs(), "%.3f"),
              x.flops() == 0 ? "-" : fmt(x.gflops(), "%.2f"),
              x.flops() == 0 ? "-" : fmt(100 * x.gflops() / peakGflops, "%.1f"),
              x.flops() == 0 ? "-" : fmt(x.kernelGflops(), "%.2f"),
              x.bytes() == 0 ? "-" : fmt(x.gbPerSecond(), "%.2f")));
    }
    if (!results.isEmpty()) {
      b.append("backend: ")
          .append(results.get(0).backend())
          .append("; medians of ")
          .append(results.stream().mapToInt(BenchResult::repeats).min().orElse(0))
          .append(" or more repeats");
      b.append(
          anyScaled ? "; * = batch scaled down (quick mode), GFLOP/s are for that batch\n" : "\n");
      b.append("kernel ms / kGFLOP/s: summed OpenCL profiling events (- where not on OpenCL)\n");
      b.append(String.format(Locale.ROOT, "%% peak: wall GFLOP/s / %.0f GFLOP/s%n", peakGflops));
    }
    return b.toString();
  }

  private static String fmt(double v, String pattern) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, pattern, v) : "-";
  }

  /**
   * Warm-up then timed repeats; medians of wall and (on OpenCL) kernel time. The full run follows
   * PyTorch's {@code ../shared/peers/torch/bench_ops.py} ({@code time_fn}): 3 warm-up calls, then
   * at least 15 timed repeats, continued while the op has run for less than 1 s in all (at most 10
   * x 15), so a pass of a millisecond is timed over a second like a pass of 100 ms, and the JVM's
   * compiler threads, busy in the first seconds of a run, share the cores with fewer of its
   * repeats. Quick mode: 1 warm-up and exactly 3 repeats.
   */
  private static final class Timer {
    private final Ops ops;
    private final int warmups;
    private final int repeats;
    private final long minNanos;

    Timer(Ops ops, boolean quick) {
      this.ops = ops;
      this.warmups = quick ? 1 : 3;
      this.repeats = quick ? 3 : 15;
      this.minNanos = quick ? 0 : 1_000_000_000L;
    }

    BenchResult time(
        String op, String label, int batch, boolean scaled, long flops, long bytes, Runnable call) {
      for (int i = 0; i < warmups; i++) {
        call.run();
      }
      ops.finish();
      KernelProfiler profiler = ops.kernelProfiler().orElse(null);
      double[] wall = new double[10 * repeats];
      double[] kernel = new double[10 * repeats];
      int done = 0;
      long begin = System.nanoTime();
      while (done < repeats || (System.nanoTime() - begin < minNanos && done < 10 * repeats)) {
        if (profiler != null) {
          profiler.start();
        }
        long start = System.nanoTime();
        call.run();
        ops.finish();
        wall[done] = (System.nanoTime() - start) / 1e6;
        kernel[done] =
            profiler != null ? KernelProfiler.totalNanos(profiler.stop()) / 1e6 : Double.NaN;
        done++;
      }
      return new BenchResult(
          ops.name(),
          op,
          label,
          batch,
          scaled,
          done,
          median(Arrays.copyOf(wall, done)),
          median(Arrays.copyOf(kernel, done)),
          flops,
          bytes);
    }

    private static double median(double[] v) {
      double[] s = v.clone();
      Arrays.sort(s);
      return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
  }
}
