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

  /**
   * Every conv pass on a few geometries, a depthwise forward and input gradient, a ReLU and the
   * three dense products, on a fresh CpuOps(2).
   */
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
      // The direct depthwise passes (chosen by cpu.json): forward and input gradient are one
      // fused multiply-add per element in a fixed order with either row kernel, so the same bits;
      // the filter gradient's row dots are summed lane-wise by the SIMD kernel and differ in the
      // last bits (DepthwiseDirectTest holds both to the reference).
      ConvGeometry depthwise =
          ConvGeometry.of(2, 6, 13, 37, 12, ConvParams.of(3).withPadding(1).withGroups(6));
      float[] dwx = Rand.floats(r, depthwise.inputShape().size());
      float[] dww = Rand.floats(r, depthwise.weightShape().size());
      float[] dwy = Rand.floats(r, depthwise.outputShape().size());
      results.add(cpu.convForward(dwx, dww, Rand.floats(r, depthwise.k()), depthwise));
      results.add(cpu.convBackwardInput(dwy, dww, depthwise));
      float[] relu = Rand.floats(r, 1000);
      var reluOut = cpu.poisoned(org.convcl.tensor.Shape.of(relu.length));
      cpu.ops.activationForward(
          org.convcl.ops.Activation.RELU,
          cpu.upload(org.convcl.tensor.Shape.of(relu.length), relu),
          reluOut);
      results.add(cpu.ops.read(reluOut));
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
