package org.convcl.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convcl.tensor.Shape;

/**
 * MNIST in its four IDX files ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-...}), each raw or gzipped ({@code .gz}).
 */
public final class Mnist {
  private Mnist() {}

  /** The training ({@code train}) or test ({@code t10k}) part of the set in {@code dir}. */
  public static Dataset load(Path dir, boolean train) throws IOException {
    String prefix = train ? "train" : "t10k";
    Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
    Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
    Idx.Images images = Idx.readImages(imagesFile);
    int[] labels = Idx.readLabels(labelsFile, 10);
    if (labels.length != images.count()) {
      throw new DataFileException(
          labelsFile,
          "holds "
              + labels.length
              + " labels but "
              + imagesFile.getFileName()
              + " holds "
              + images.count()
              + " images");
    }
    Shape item = Shape.of(1, images.rows(), images.cols());
    return new Dataset(
        "mnist " + prefix + " (" + dir + ")", images.pixels(), labels, item, Dataset.digits());
  }

  /** {@code name.gz} if present, else {@code name}; the error lists both when neither exists. */
  static Path find(Path dir, String name) throws DataFileException {
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path raw = dir.resolve(name);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    throw new DataFileException(raw, "file not found (nor " + gz.getFileName() + ")");
  }
}
