package org.convcl.cpu;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GEMM core alone: {@code C += A * B} for square n x n row-major matrices on all cores (and
 * with {@code threads = 1} on one). GFLOP/s = 2 n^3 / time. The SIMD kernel needs the module, so
 * the fork adds it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class GemmBenchmark {
  @Param({"256", "512", "1024"})
  public int n;

  @Param({"0"})
  public int threads;

  private Parallel parallel;
  private CpuGemm gemm;
  private KPanel a;
  private KPanel b;
  private float[] c;

  @Setup(Level.Trial)
  public void setUp() {
    parallel = new Parallel(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    gemm = CpuGemm.forMachine(parallel, MicroKernels.best());
    Random r = new Random(1);
    float[] x = new float[n * n];
    float[] y = new float[n * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() - 0.5f;
      y[i] = r.nextFloat() - 0.5f;
    }
    a = new DenseKPanel(x, 0, 1, n);
    b = new DenseKPanel(y, 0, n, 1);
    c = new float[n * n];
  }

  @Benchmark
  public float[] multiply() {
    gemm.multiply(n, n, n, a, b, null, c, 0, n, null);
    return c;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    parallel.close();
  }
}
