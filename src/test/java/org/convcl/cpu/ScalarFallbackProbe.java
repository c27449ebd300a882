package org.convcl.cpu;

import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Padding;
import org.convcl.testutil.CpuRunner;
import org.convcl.testutil.Rand;

/**
 * Run by {@link ScalarFallbackTest} in a child JVM started without {@code --add-modules
 * jdk.incubator.vector}: prints the backend's description and writes the results of {@link
 * #compute} to the file named by its argument.
 */
public final class ScalarFallbackProbe {
  private ScalarFallbackProbe() {}

  public static void main(String[] args) throws IOException {
    try (CpuOps ops = new CpuOps(2)) {
      System.out.println("describe=" + ops.describe());
    }
    List<float[]> results = compute();
    try (DataOutputStream out = new DataOutputStream(new FileOutputStream(args[0]))) {
      out.writeInt(results.size());
      for (float[] r : results) {
        out.writeInt(r.length);
        for (float v : r) {
          out.writeInt(Float.floatToRawIntBits(v));
        }
      }
    }
  }

  /** Every conv pass on a few geometries and the three dense products, on a fresh CpuOps(2). */
  static List<float[]> compute() {
    List<float[]> results = new ArrayList<>();
    Random r = new Random(42);
    List<ConvGeometry> shapes =
        List.of(
            ConvGeometry.of(3, 1, 28, 28, 20, ConvParams.of(5)),
            ConvGeometry.of(
                2,
                6,
                13,
                11,
                9,
                ConvParams.of(3).withStride(2).withPadding(new Padding(1, 0, 2, 1))),
            ConvGeometry.of(2, 8, 7, 9, 8, ConvParams.of(3).withPadding(1).withGroups(4)),
            ConvGeometry.of(2, 12, 6, 5, 10, ConvParams.of(1)));
    try (CpuRunner cpu = new CpuRunner(new CpuOps(2))) {
      for (ConvGeometry g : shapes) {
        float[] x = Rand.floats(r, g.inputShape().size());
        float[] w = Rand.floats(r, g.weightShape().size());
        float[] b = Rand.floats(r, g.k());
        float[] dy = Rand.floats(r, g.outputShape().size());
        results.add(cpu.convForward(x, w, b, g));
        results.add(cpu.convBackwardInput(dy, w, g));
        results.add(cpu.convBackwardFilter(x, dy, g));
      }
      int n = 7;
      int f = 45;
      int o = 19;
      float[] x = Rand.floats(r, n * f);
      float[] w = Rand.floats(r, o * f);
      float[] b = Rand.floats(r, o);
      float[] dy = Rand.floats(r, n * o);
      results.add(cpu.denseForward(x, w, b, n, f, o));
      results.add(cpu.denseBackwardInput(dy, w, n, f, o));
      results.add(cpu.denseBackwardWeights(x, dy, n, f, o));
    }
    return results;
  }
}
