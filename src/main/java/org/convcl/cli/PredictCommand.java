package org.convcl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.convcl.data.ImageConvert;
import org.convcl.ops.Ops;
import org.convcl.train.Classifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code convcl predict}: the top-k classes of image files. A file that cannot be read is reported
 * on stderr and the others are still predicted; the exit code is then 1.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Classify image files (PNG, JPEG): the top-k classes with their probabilities.",
      "Transparent parts show the training data's ground (black for MNIST); an unreadable file is"
          + " reported and the rest are still classified (exit code 1)."
    })
final class PredictCommand implements Callable<Integer> {
  private final Io io;

  @Mixin CheckpointOptions model;

  @Option(names = "--top-k", paramLabel = "K", description = "how many classes to show (default 3)")
  int topK = 3;

  @Option(
      names = "--invert",
      description =
          "invert the images: dark strokes on a light ground, for a model trained on"
              + " light on dark (MNIST)")
  boolean invert;

  @Option(names = "--json", description = "one line of JSON per image")
  boolean json;

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
      Classifier c = r.classifier();
      List<Path> readable = new ArrayList<>();
      List<byte[]> pixels = new ArrayList<>();
      int failed = 0;
      for (Path f : images) {
        try {
          pixels.add(c.pixels(ImageConvert.image(f), invert));
          readable.add(f);
        } catch (IOException e) {
          failed++;
          io.err().println("convcl predict: " + Main.describe(e));
          if (json) {
            io.out().println(new Json().put("file", f.toString()).put("error", Main.describe(e)));
          }
        }
      }
      float[][] probs = c.probabilities(pixels);
      for (int i = 0; i < readable.size(); i++) {
        List<Integer> best = top(probs[i], topK);
        io.out()
            .println(
                json
                    ? json(readable.get(i), probs[i], best, c)
                    : text(readable.get(i), probs[i], best, c));
      }
      if (failed > 0) {
        io.err()
            .printf("convcl predict: %d of %d files could not be read%n", failed, images.size());
        return 1;
      }
      return 0;
    }
  }

  /** The indices of the {@code k} largest probabilities, largest first. */
  static List<Integer> top(float[] p, int k) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < p.length; i++) {
      idx.add(i);
    }
    idx.sort((a, b) -> Float.compare(p[b], p[a]));
    return idx.subList(0, Math.min(k, p.length));
  }

  private static String text(Path file, float[] p, List<Integer> best, Classifier c) {
    List<String> parts = new ArrayList<>();
    for (int i : best) {
      parts.add(String.format(Locale.ROOT, "%s %.2f%%", c.classNames().get(i), 100 * p[i]));
    }
    return file + ": " + String.join(", ", parts);
  }

  private static Json json(Path file, float[] p, List<Integer> best, Classifier c) {
    List<Json> top = new ArrayList<>();
    for (int i : best) {
      top.add(new Json().put("class", c.classNames().get(i)).put("probability", (double) p[i]));
    }
    return new Json().put("file", file.toString()).put("top", top);
  }
}
