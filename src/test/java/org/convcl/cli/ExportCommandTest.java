package org.convcl.cli;

import static org.convcl.cli.CliTest.cpu;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.convcl.cli.CliTest.Result;
import org.convcl.cpu.CpuOps;
import org.convcl.data.Dataset;
import org.convcl.data.Mnist;
import org.convcl.train.Classifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convcl export --onnx}: the file holds the checkpoint's model, weights and classes. */
class ExportCommandTest {
  @Test
  void exportWritesAnOnnxFileThatPredictsAsTheCheckpoint(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Result t =
        cpu(
            "train",
            "--model",
            "conv5x5x6-relu-maxpool2-dense10",
            "--train-limit",
            "256",
            "--test-limit",
            "64",
            "--epochs",
            "1",
            "--run-dir",
            run.toString(),
            "--quiet");
    assertEquals(0, t.code(), t.err());
    Path onnx = dir.resolve("model.onnx");
    Result e = cpu("export", "--checkpoint", run.toString(), "--onnx", onnx.toString());
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().startsWith("wrote " + onnx), e.out());
    assertTrue(
        e.out().contains("input pixels [batch][1][28][28], output logits [batch][10]"), e.out());

    Dataset test = Mnist.bundled(false).limit(20);
    try (CpuOps ops = new CpuOps();
        Classifier saved = Classifier.load(ops, run.resolve("checkpoint.ccl"));
        Classifier exported = Classifier.importOnnx(ops, onnx)) {
      assertEquals(saved.classNames(), exported.classNames());
      float[][] a = saved.probabilities(test);
      float[][] b = exported.probabilities(test);
      for (int i = 0; i < a.length; i++) {
        // The ONNX graph folds the normalisation into Sub/Div nodes that read back exactly.
        assertArrayEquals(a[i], b[i], 1e-6f, "image " + i);
      }
    }
    Result missing = cpu("export", "--checkpoint", run.toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("--onnx"), missing.err());
  }
}
