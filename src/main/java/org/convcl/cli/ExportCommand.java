package org.convcl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.convcl.ops.Ops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code convcl export}: a checkpoint as an ONNX file for other runtimes. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a checkpoint as an ONNX model (opset 13) for ONNX Runtime, PyTorch and others.",
      "Input 'pixels' [batch][C][H][W] scaled to [0, 1] (the normalisation is inside the graph);"
          + " output 'logits' [batch][classes]."
    })
final class ExportCommand implements Callable<Integer> {
  private final Io io;

  @Mixin CheckpointOptions model;

  @Option(
      names = "--onnx",
      required = true,
      paramLabel = "FILE",
      description = "the ONNX file to write")
  Path onnx;

  ExportCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    try (Ops ops = model.openDevice();
        Restored r = model.restore(ops)) {
      r.classifier().exportOnnx(onnx);
      io.out()
          .printf(
              "wrote %s (%,d bytes): %s, input pixels [batch][%s], output logits [batch][%d]%n",
              onnx,
              Files.size(onnx),
              r.model().spec(),
              r.model().inputItem().toString().replace("x", "]["),
              r.model().outputItem().size());
      return 0;
    }
  }
}
