package org.convcl.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.convcl.cpu.CpuOps;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.DType;
import org.convcl.tensor.Tensor;
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
 * The three convolution passes of the CPU backend on the standard shapes of {@code convcl bench}
 * (LeNet's two layers at batch 64, ResNet-style 3x3 layers, the 7x7 stem). GFLOP/s = {@code
 * ConvGeometry.flops()} / time; the {@code convcl bench} command prints the same figures without
 * JMH.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class CpuConvBenchmark {
  /** N,C,H,W,K,kernel,stride,padding: LeNet's two layers, then the 3x3 and 7x7 shapes of bench. */
  @Param({
    "64,1,28,28,20,5,1,0",
    "64,20,12,12,50,5,1,0",
    "32,64,56,56,64,3,1,1",
    "32,128,28,28,128,3,1,1",
    "32,256,14,14,256,3,1,1",
    "8,3,224,224,64,7,2,3"
  })
  public String shape;

  private CpuOps ops;
  private ConvGeometry g;
  private Tensor input;
  private Tensor weights;
  private Tensor bias;
  private Tensor output;
  private Tensor gradInput;
  private Tensor gradWeights;

  @Setup(Level.Trial)
  public void setUp() {
    String[] p = shape.split(",");
    int[] d = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      d[i] = Integer.parseInt(p[i].trim());
    }
    ops = new CpuOps();
    g =
        ConvGeometry.of(
            d[0], d[1], d[2], d[3], d[4], ConvParams.of(d[5]).withStride(d[6]).withPadding(d[7]));
    Random r = new Random(345);
    input = ops.upload(g.inputShape(), random(r, g.inputShape().size()));
    weights = ops.upload(g.weightShape(), random(r, g.weightShape().size()));
    bias = ops.upload(g.biasShape(), random(r, g.k()));
    output = ops.upload(g.outputShape(), random(r, g.outputShape().size()));
    gradInput = ops.allocate(g.inputShape(), DType.FLOAT32);
    gradWeights = ops.allocate(g.weightShape(), DType.FLOAT32);
  }

  private static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() * 2 - 1;
    }
    return a;
  }

  @Benchmark
  public void forward() {
    ops.convForward(input, weights, bias, output, g);
  }

  @Benchmark
  public void backwardInput() {
    ops.convBackwardInput(output, weights, gradInput, g);
  }

  @Benchmark
  public void backwardFilter() {
    ops.convBackwardFilter(input, output, gradWeights, g);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ops.close();
  }
}
