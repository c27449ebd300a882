package org.convcl.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Normalization;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Param;
import org.convcl.nn.Sequential;
import org.convcl.nn.Shapes;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every layer the model spec allows, exported to ONNX and run by ONNX Runtime (an implementation
 * ConvCL shares no code with): its logits must match ConvCL's CPU forward pass.
 */
class OnnxExportTest {
  /**
   * |ConvCL - ORT| <= 1e-4 * max(1, |ConvCL|): ConvCL's CPU backend sums in double, ORT in float,
   * so the two differ by float rounding of sums of at most a few thousand terms (about 1e-6
   * relative); 1e-4 leaves room for that and for transcendental functions, yet catches any wrong
   * index, padding or layout, which moves logits by far more.
   */
  private static final float TOLERANCE = 1e-4f;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "conv5x5x20-relu-maxpool2-conv5x5x50-relu-maxpool2-dense500-relu-dense10",
        "conv3x3x8s2p1-lrelu0.2-maxpool3s2p1-conv3x3x6d2nobias-tanh-flatten-dense10",
        "conv3x3x4p1-bn-relu-avgpool2-conv3x2x5s1x2p1x0-sigmoid-avgpool3s1p1-dense12-dropout0.3-dense10",
        "dense16-bn-relu-dense10",
        "avgpool2x3s2x1-conv1x1x3-maxpool2x1s1x2-dense10"
      })
  void exportedModelsRunInOnnxRuntimeWithTheSameLogits(String spec) throws Exception {
    long seed = spec.hashCode();
    Random r = new Random(seed);
    Shape item = Shape.of(2, 28, 26);
    int n = 3;
    try (CpuOps ops = new CpuOps();
        Sequential m = ModelSpec.build(ops, spec, item, seed)) {
      randomise(ops, m, r);
      float[] mean = {0.4f, 0.6f};
      float[] std = {0.3f, 0.2f};
      Normalization norm = new Normalization(mean, std);
      byte[] onnx =
          OnnxExport.encode(m, norm, List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));

      float[] pixels = new float[n * item.size()];
      float[] normalised = new float[pixels.length];
      int plane = item.dim(1) * item.dim(2);
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = r.nextFloat();
        int c = (i / plane) % 2;
        normalised[i] = (pixels[i] - mean[c]) / std[c];
      }
      float[] expected;
      try (Tensor x = ops.upload(Shapes.batch(n, item), normalised)) {
        expected = ops.read(m.forward(x, false));
      }
      float[][] actual = runInOnnxRuntime(onnx, pixels, n, item);
      int k = m.outputItem().size();
      for (int b = 0; b < n; b++) {
        for (int j = 0; j < k; j++) {
          float e = expected[b * k + j];
          float a = actual[b][j];
          assertTrue(
              Math.abs(e - a) <= TOLERANCE * Math.max(1, Math.abs(e)),
              spec
                  + " seed "
                  + seed
                  + ": image "
                  + b
                  + " logit "
                  + j
                  + ": ConvCL "
                  + e
                  + ", ORT "
                  + a);
        }
      }
    }
  }

  /**
   * Random weights, and for batch norm running statistics away from (0, 1), so every tensor counts.
   */
  private static void randomise(CpuOps ops, Sequential m, Random r) {
    List<Param> all = new ArrayList<>(m.params());
    all.addAll(m.buffers());
    for (Param p : all) {
      float[] v = new float[p.value().shape().size()];
      boolean variance = p.name().endsWith("runningVar");
      for (int i = 0; i < v.length; i++) {
        v[i] = variance ? 0.5f + r.nextFloat() : (float) (r.nextGaussian() * 0.3);
      }
      ops.write(p.value(), v);
    }
  }

  static float[][] runInOnnxRuntime(byte[] onnx, float[] pixels, int n, Shape item)
      throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {n, item.dim(0), item.dim(1), item.dim(2)};
    try (var s = env.createSession(onnx);
        var t = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), shape);
        var result = s.run(Map.of("pixels", t))) {
      assertEquals("logits", s.getOutputNames().iterator().next());
      return (float[][]) result.get(0).getValue();
    }
  }
}
