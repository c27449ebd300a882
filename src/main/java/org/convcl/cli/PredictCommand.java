package org.convcl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convcl.data.ImageConvert;
import org.convcl.ops.Ops;
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
      float[][] probs = probabilities(r, images);
      for (int i = 0; i < images.size(); i++) {
        io.out().println(images.get(i) + ": " + top(probs[i], c.classNames(), topK));
      }
      return 0;
    }
  }

  /** Class probabilities of every file, computed a batch at a time. */
  static float[][] probabilities(Restored r, List<Path> files) throws IOException {
    List<byte[]> pixels = new ArrayList<>();
    for (Path f : files) {
      pixels.add(ImageConvert.read(f, r.checkpoint().inputItem()));
    }
    return r.classifier().probabilities(pixels);
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
