package org.convcl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convcl.data.ImageConvert;
import org.convcl.nn.Shapes;
import org.convcl.ops.Ops;
import org.convcl.tensor.DType;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.convcl.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code convcl predict}: the top-k classes of image files. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = "Classify image files (PNG, JPEG): the top-k classes with their probabilities.")
final class PredictCommand implements Callable<Integer> {
  private final Io io;

  @Mixin CheckpointOptions model;

  @Option(names = "--top-k", paramLabel = "K", description = "how many classes to show (default 3)")
  int topK = 3;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "image files")
  List<Path> images;

  PredictCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws IOException {
    if (topK < 1) {
      throw new UsageException("--top-k = " + topK + ": must be at least 1");
    }
    try (Ops ops = model.openDevice();
        Restored r = model.restore(ops)) {
      Checkpoint c = r.checkpoint();
      float[][] probs = probabilities(ops, r, images, BATCH);
      for (int i = 0; i < images.size(); i++) {
        io.out().println(images.get(i) + ": " + top(probs[i], c.classNames(), topK));
      }
      return 0;
    }
  }

  /** Images per forward pass: enough to keep a device busy, few enough for any memory. */
  static final int BATCH = 256;

  /** Class probabilities of every file, computed {@code batch} images at a time. */
  static float[][] probabilities(Ops ops, Restored r, List<Path> files, int batch)
      throws IOException {
    Checkpoint c = r.checkpoint();
    Shape item = c.inputItem();
    int n = files.size();
    int b = Math.min(batch, n);
    int plane = item.dim(1) * item.dim(2);
    int k = r.model().outputItem().size();
    float[][] out = new float[n][];
    float[] host = new float[b * item.size()];
    try (Tensor x = ops.allocate(Shapes.batch(b, item), DType.FLOAT32);
        Tensor p = ops.allocate(Shape.of(b, k), DType.FLOAT32)) {
      for (int from = 0; from < n; from += b) {
        // A short last batch keeps the previous rows; their results are not read.
        int count = Math.min(b, n - from);
        for (int i = 0; i < count; i++) {
          byte[] px = ImageConvert.read(files.get(from + i), item);
          c.normalization().apply(px, 0, host, i * item.size(), item.dim(0), plane);
        }
        ops.write(x, host);
        ops.softmaxForward(r.model().forward(x, false), p);
        float[] flat = ops.read(p);
        for (int i = 0; i < count; i++) {
          out[from + i] = java.util.Arrays.copyOfRange(flat, i * k, (i + 1) * k);
        }
      }
    }
    return out;
  }

  static String top(float[] p, List<String> names, int k) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      idx.add(i);
    }
    idx.sort((a, b) -> Float.compare(p[b], p[a]));
    List<String> parts = new ArrayList<>();
    for (int j = 0; j < Math.min(k, p.length); j++) {
      int c = idx.get(j);
      String name = c < names.size() ? names.get(c) : Integer.toString(c);
      parts.add(String.format(Locale.ROOT, "%s %.2f%%", name, 100 * p[c]));
    }
    return String.join(", ", parts);
  }
}
