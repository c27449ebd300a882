package org.convcl.ops;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convcl.impl.CacheDirectory;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@code auto} chooses between devices of which none is a GPU (the plain-Java backend and an
 * OpenCL CPU device such as PoCL): by a measured figure, not a guess. Each candidate runs the
 * convolution and dense passes of a LeNet training step at batch 32 (warm-up rounds until they stop
 * getting faster, then the median of five: at least 1.5 s per device; a fresh JVM that measured
 * PoCL and the CPU on the 2-core machine took 3.5 s in all) and scores GFLOP/s; the figures are
 * cached in {@code <cache>/auto.json} under a key of both devices' descriptions, the ConvCL build
 * ({@link BuildInfo}: version and build time) and the Java version, so the measurement runs once
 * per machine and build (delete the file to measure again).
 */
final class AutoCalibration {
  private static final Logger LOG = LoggerFactory.getLogger(AutoCalibration.class);
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /**
   * LeNet's convolutions and its first dense layer, batch 32. The dense layer is written as the 1x1
   * convolution of a 1x1 image it equals and runs through the dense ops, as a training step runs it
   * (through the convolution ops the CPU backend took it for 32 matrix-vector products, 4 GFLOP/s,
   * and measured itself slower than PoCL where it trains twice as fast).
   */
  static final List<ConvGeometry> WORK =
      List.of(
          ConvGeometry.of(32, 1, 28, 28, 20, ConvParams.of(5)),
          ConvGeometry.of(32, 20, 12, 12, 50, ConvParams.of(5)),
          ConvGeometry.of(32, 800, 1, 1, 500, ConvParams.of(1)));

  private AutoCalibration() {}

  /**
   * The cached or measured GFLOP/s of each spec, measuring with {@code open} where needed; the
   * backends opened to measure are left open in {@code opened} (by spec) for the caller to use or
   * close, so the winner is not opened twice.
   */
  static Map<String, Double> figures(
      List<DeviceEntry> devices,
      Path cacheFile,
      java.util.function.Function<DeviceEntry, Ops> open,
      Map<String, Ops> opened) {
    String key = key(devices);
    Map<String, Map<String, Double>> cache = read(cacheFile);
    Map<String, Double> figures = cache.get(key);
    if (figures != null
        && figures.keySet().containsAll(devices.stream().map(DeviceEntry::spec).toList())) {
      return figures;
    }
    figures = new LinkedHashMap<>();
    for (DeviceEntry d : devices) {
      try {
        Ops ops = open.apply(d);
        opened.put(d.spec(), ops);
        figures.put(d.spec(), gflops(ops));
      } catch (RuntimeException e) {
        LOG.warn("auto: measuring {} failed: {}", d.spec(), e.getMessage());
        figures.put(d.spec(), 0.0);
      }
    }
    cache.put(key, figures);
    write(cacheFile, cache);
    return figures;
  }

  /** The forward, input-gradient and filter-gradient passes of {@link #WORK}, in GFLOP/s. */
  static double gflops(Ops ops) {
    Random r = new Random(1);
    long flops = 0;
    double[] seconds = new double[5];
    try (Workload w = new Workload(ops, r)) {
      warmUp(w, ops);
      for (int i = 0; i < seconds.length; i++) {
        long start = System.nanoTime();
        w.run();
        ops.finish();
        seconds[i] = (System.nanoTime() - start) / 1e9;
      }
    }
    for (ConvGeometry g : WORK) {
      flops += 3 * g.flops();
    }
    Arrays.sort(seconds);
    return flops / seconds[seconds.length / 2] / 1e9;
  }

  /** The least time rounds of warm-up run for, and the most. */
  static final long WARM_UP_MIN_NANOS = 1_500_000_000L;

  static final long WARM_UP_MAX_NANOS = 6_000_000_000L;

  /**
   * Rounds of {@link #WORK} until they stop getting faster: at least 3 rounds and {@link
   * #WARM_UP_MIN_NANOS}, then until a round is less than 5 % faster than the best before it, for at
   * most {@link #WARM_UP_MAX_NANOS}. The plain-Java backend's SIMD kernels run several times slower
   * until the JIT has compiled them, which takes more than the first second of a JVM (docs/cpu.md,
   * "The first epoch"); OpenCL builds its programs in the first round.
   */
  private static void warmUp(Workload w, Ops ops) {
    long start = System.nanoTime();
    double best = Double.POSITIVE_INFINITY;
    for (int round = 0; ; round++) {
      long t0 = System.nanoTime();
      w.run();
      ops.finish();
      long now = System.nanoTime();
      double s = now - t0;
      boolean improving = s < 0.95 * best;
      best = Math.min(best, s);
      long spent = now - start;
      if (spent > WARM_UP_MAX_NANOS || (round >= 2 && spent >= WARM_UP_MIN_NANOS && !improving)) {
        return;
      }
    }
  }

  /** Whether {@code g} stands for a dense layer: a 1x1 kernel over a 1x1 image. */
  private static boolean dense(ConvGeometry g) {
    return g.h() == 1 && g.w() == 1 && g.params().kernelH() == 1 && g.params().kernelW() == 1;
  }

  /** The tensors of {@link #WORK} on one backend. */
  private static final class Workload implements AutoCloseable {
    private final Ops ops;
    private final Tensor[][] t = new Tensor[WORK.size()][];

    Workload(Ops ops, Random r) {
      this.ops = ops;
      try {
        for (int i = 0; i < WORK.size(); i++) {
          ConvGeometry g = WORK.get(i);
          Shape in = dense(g) ? Shape.of(g.n(), g.c()) : g.inputShape();
          Shape wt = dense(g) ? Shape.of(g.k(), g.c()) : g.weightShape();
          Shape out = dense(g) ? Shape.of(g.n(), g.k()) : g.outputShape();
          t[i] =
              new Tensor[] {
                ops.upload(in, random(r, in)),
                ops.upload(wt, random(r, wt)),
                ops.upload(g.biasShape(), random(r, g.biasShape())),
                ops.allocate(out, DType.FLOAT32),
                ops.upload(out, random(r, out)),
                ops.allocate(in, DType.FLOAT32),
                ops.allocate(wt, DType.FLOAT32)
              };
        }
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    void run() {
      for (int i = 0; i < WORK.size(); i++) {
        ConvGeometry g = WORK.get(i);
        Tensor[] x = t[i];
        if (dense(g)) {
          ops.denseForward(x[0], x[1], x[2], x[3]);
          ops.denseBackwardInput(x[4], x[1], x[5]);
          ops.denseBackwardWeights(x[0], x[4], x[6]);
        } else {
          ops.convForward(x[0], x[1], x[2], x[3], g);
          ops.convBackwardInput(x[4], x[1], x[5], g);
          ops.convBackwardFilter(x[0], x[4], x[6], g);
        }
      }
    }

    @Override
    public void close() {
      for (Tensor[] row : t) {
        if (row != null) {
          for (Tensor x : row) {
            if (x != null) {
              x.close();
            }
          }
        }
      }
    }
  }

  private static float[] random(Random r, Shape s) {
    float[] a = new float[s.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextFloat() * 2 - 1;
    }
    return a;
  }

  /** What the figures depend on: the devices as described, ConvCL's build and the JVM. */
  static String key(List<DeviceEntry> devices) {
    StringBuilder b = new StringBuilder();
    for (DeviceEntry d : devices) {
      b.append(d.spec())
          .append(' ')
          .append(d.name())
          .append(' ')
          .append(d.details().strip().hashCode())
          .append("; ");
    }
    b.append("convcl ").append(BuildInfo.id());
    b.append("; java ").append(System.getProperty("java.vm.version"));
    return b.toString();
  }

  /** The cached figures by key (for tests). */
  static Map<String, Map<String, Double>> readForTest(Path file) {
    return read(file);
  }

  private static Map<String, Map<String, Double>> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return new LinkedHashMap<>();
    }
    try {
      Map<String, Map<String, Double>> m =
          GSON.fromJson(
              Files.readString(file, StandardCharsets.UTF_8),
              new TypeToken<LinkedHashMap<String, LinkedHashMap<String, Double>>>() {}.getType());
      return m == null ? new LinkedHashMap<>() : m;
    } catch (IOException | RuntimeException e) {
      LOG.warn("auto: ignoring the measurements in {}: {}", file, e.getMessage());
      return new LinkedHashMap<>();
    }
  }

  private static void write(Path file, Map<String, Map<String, Double>> cache) {
    try {
      CacheDirectory.writeAtomically(
          file, (GSON.toJson(cache) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("auto: could not keep the measurements in {}: {}", file, e.getMessage());
    }
  }
}
