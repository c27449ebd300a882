package org.convcl.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Dataset;
import org.convcl.data.Mnist;
import org.convcl.data.Normalization;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Sequential;
import org.convcl.nn.Shapes;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.train.Classifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LeNet-5 trained and exported by PyTorch (scripts/export-torch-lenet.py) loads as a ConvCL model
 * whose logits match the ones PyTorch saved, and ConvCL's own exports read back unchanged.
 */
class OnnxImportTest {
  /** Same reasoning as OnnxExportTest's: float rounding only, far below any real mistake. */
  private static final double TOLERANCE = 1e-4;

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = OnnxImportTest.class.getResourceAsStream("/onnx/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aLeNetExportedByPyTorchPredictsAsPyTorchDid(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("torch-lenet.onnx");
    Files.write(file, resource("torch-lenet.onnx"));
    List<String> rows =
        new String(resource("torch-lenet-logits.txt"), StandardCharsets.UTF_8).lines().toList();
    Dataset test = Mnist.bundled(false);
    try (CpuOps ops = new CpuOps();
        Classifier net = Classifier.importOnnx(ops, file)) {
      assertEquals(
          "conv5x5x6-relu-maxpool2-conv5x5x16-relu-maxpool2-dense120-relu-dense84-relu-dense10",
          net.model().spec());
      assertEquals(Shape.of(1, 28, 28), net.inputShape());
      assertEquals(Normalization.identity(1), net.normalization(), "the script feeds byte/255");
      float[] pixels = new float[rows.size() * 784];
      for (int i = 0; i < rows.size(); i++) {
        byte[] img = test.image(i);
        for (int j = 0; j < 784; j++) {
          pixels[i * 784 + j] = (img[j] & 0xff) / 255f;
        }
      }
      float[] logits;
      try (Tensor x = ops.upload(Shapes.batch(rows.size(), net.inputShape()), pixels)) {
        logits = ops.read(net.model().forward(x, false));
      }
      List<String> predicted = net.predict(test.slice(0, rows.size()));
      for (int i = 0; i < rows.size(); i++) {
        double[] torch =
            Arrays.stream(rows.get(i).split(" ")).mapToDouble(Double::parseDouble).toArray();
        int best = 0;
        for (int j = 0; j < 10; j++) {
          double mine = logits[i * 10 + j];
          assertTrue(
              Math.abs(mine - torch[j]) <= TOLERANCE * Math.max(1, Math.abs(torch[j])),
              "image " + i + " logit " + j + ": ConvCL " + mine + ", PyTorch " + torch[j]);
          best = torch[j] > torch[best] ? j : best;
        }
        assertEquals(Integer.toString(best), predicted.get(i), "image " + i);
      }
    }
  }

  @Test
  void convclExportsReadBackWithTheirWeightsClassesAndNormalisation(@TempDir Path dir)
      throws Exception {
    String spec = "conv3x3x4p1-bn-lrelu0.1-maxpool2-conv3x3x3s2nobias-avgpool2-dense7-tanh-dense3";
    Shape item = Shape.of(3, 16, 16);
    Normalization norm =
        new Normalization(new float[] {0.1f, 0.2f, 0.3f}, new float[] {0.5f, 0.6f, 0.7f});
    Path file = dir.resolve("m.onnx");
    try (CpuOps ops = new CpuOps();
        Sequential m = ModelSpec.build(ops, spec, item, 8)) {
      java.util.Random r = new java.util.Random(8);
      for (var p : m.params()) {
        float[] v = new float[p.value().shape().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) r.nextGaussian() * 0.3f;
        }
        ops.write(p.value(), v);
      }
      OnnxExport.write(m, norm, List.of("cat", "dog", "bird"), file);
      OnnxImport.Imported back = OnnxImport.read(ops, file);
      try (Sequential b = back.model()) {
        assertEquals(spec, b.spec());
        assertEquals(norm, back.normalization());
        assertEquals(List.of("cat", "dog", "bird"), back.classNames());
        float[] x = new float[2 * item.size()];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) r.nextGaussian();
        }
        try (Tensor t = ops.upload(Shapes.batch(2, item), x)) {
          float[] want = ops.read(m.forward(t, false));
          assertArrayEquals(
              want, ops.read(b.forward(t, false)), 0f, "the same weights, bit for bit");
        }
      }
    }
  }

  @Test
  void unsupportedOperatorsAndDamagedFilesAreNamed() {
    ProtoWriter node =
        new ProtoWriter()
            .string(OnnxFields.NODE_INPUT, "pixels")
            .string(OnnxFields.NODE_OUTPUT, "y")
            .string(OnnxFields.NODE_NAME, "odd")
            .string(OnnxFields.NODE_OP_TYPE, "Softplus");
    ProtoWriter shape = new ProtoWriter();
    for (long d : new long[] {1, 1, 4, 4}) {
      shape.message(OnnxFields.SHAPE_DIM, new ProtoWriter().varint(OnnxFields.DIM_VALUE, d));
    }
    ProtoWriter input =
        new ProtoWriter()
            .string(OnnxFields.VALUE_NAME, "pixels")
            .message(
                OnnxFields.VALUE_TYPE,
                new ProtoWriter()
                    .message(
                        OnnxFields.TYPE_TENSOR,
                        new ProtoWriter()
                            .varint(OnnxFields.TENSOR_TYPE_ELEM, 1)
                            .message(OnnxFields.TENSOR_TYPE_SHAPE, shape)));
    byte[] model =
        new ProtoWriter()
            .message(
                OnnxFields.MODEL_GRAPH,
                new ProtoWriter()
                    .message(OnnxFields.GRAPH_NODE, node)
                    .message(OnnxFields.GRAPH_INPUT, input))
            .toByteArray();
    try (CpuOps ops = new CpuOps()) {
      OnnxException e = assertThrows(OnnxException.class, () -> OnnxImport.decode(ops, model));
      assertEquals("node odd (Softplus): operator Softplus has no ConvCL layer", e.getMessage());
      byte[] cut = Arrays.copyOf(model, model.length - 3);
      OnnxException t = assertThrows(OnnxException.class, () -> OnnxImport.decode(ops, cut));
      assertTrue(
          t.getMessage().contains("overruns") || t.getMessage().contains("truncated"),
          t.getMessage());
      assertEquals(0, ops.liveBuffers(), "nothing was left allocated");
    }
  }
}
