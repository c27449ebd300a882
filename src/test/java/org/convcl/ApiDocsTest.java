package org.convcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public type and member of the library's front door (the types docs/library.md teaches)
 * carries javadoc that doclint accepts: {@code javac -Xdoclint:all/protected -Werror} over their
 * sources, against the compiled classes for everything they reference.
 */
class ApiDocsTest {
  /** The documented API, by source file under src/main/java/org/convcl. */
  static final List<String> API =
      List.of(
          "train/Classifier.java",
          "train/TrainConfig.java",
          "train/OptimizerConfig.java",
          "train/OptimizerKind.java",
          "train/Optimizer.java",
          "train/LrSchedule.java",
          "train/Monitor.java",
          "train/EvalReport.java",
          "train/EvalResult.java",
          "train/EpochMetrics.java",
          "train/TrainListener.java",
          "train/TrainingDivergedException.java",
          "data/Mnist.java",
          "data/Dataset.java",
          "data/Split.java",
          "data/Normalization.java",
          "data/Augmentation.java",
          "data/DataSources.java",
          "data/DataFileException.java",
          "data/ImageConvert.java",
          "onnx/OnnxExport.java",
          "onnx/OnnxImport.java",
          "onnx/OnnxException.java");

  @Test
  void publicApiPassesDoclint(@TempDir Path out) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-Xdoclint:all/protected",
                "-Werror",
                "-proc:none",
                "-implicit:none",
                "-cp",
                System.getProperty("java.class.path"),
                "-d",
                out.toString()));
    Path root = Path.of("src/main/java/org/convcl");
    for (String f : API) {
      assertTrue(Files.isRegularFile(root.resolve(f)), "listed API file missing: " + f);
      args.add(root.resolve(f).toString());
    }
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, diagnostics, diagnostics, args.toArray(String[]::new));
    assertEquals(0, rc, "doclint found gaps in the public API's javadoc:\n" + diagnostics);
  }
}
