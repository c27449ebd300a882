package org.convcl.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convcl.tensor.Shape;

/**
 * MNIST in its four IDX files ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-...}), each raw or gzipped ({@code .gz}), read from a folder ({@link #load}) or from
 * the 8,000 + 2,000 digits bundled in the ConvCL jar ({@link #bundled}).
 */
public final class Mnist {
  /** Where the bundled digits lie on the classpath (the jar's copy of {@code data/mnist}). */
  static final String BUNDLED_RESOURCE = "/org/convcl/data/mnist/";

  private Mnist() {}

  /**
   * The training ({@code train}) or test ({@code t10k}) part of the set in {@code dir}.
   *
   * @param dir a folder holding the four IDX files
   * @param train true for the training part, false for the test part
   * @return the images with their labels and the class names 0..9
   * @throws IOException when a file is missing, unreadable or malformed ({@link DataFileException}
   *     names the file)
   */
  public static Dataset load(Path dir, boolean train) throws IOException {
    String prefix = prefix(train);
    Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
    Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
    return paired(
        "mnist " + prefix + " (" + dir + ")",
        imagesFile,
        Idx.readImages(imagesFile),
        labelsFile,
        Idx.readLabels(labelsFile, 10));
  }

  /**
   * The bundled digits, read from the classpath: they travel inside the jar, so this works from any
   * working directory. The training part holds 8,000 digits, the test part 2,000 others (see the
   * note {@code data/mnist/README.md} shipped beside them).
   *
   * @param train true for the 8,000 training digits, false for the 2,000 test digits
   * @return the images with their labels and the class names 0..9
   * @throws IOException when the resources are missing from the classpath or damaged
   */
  public static Dataset bundled(boolean train) throws IOException {
    String prefix = prefix(train);
    String images = prefix + "-images-idx3-ubyte.gz";
    String labels = prefix + "-labels-idx1-ubyte.gz";
    // A path only for messages: "classpath/org/convcl/data/mnist/<file>" (valid on every OS).
    Path imagesName = Path.of("classpath" + BUNDLED_RESOURCE + images);
    Path labelsName = Path.of("classpath" + BUNDLED_RESOURCE + labels);
    return paired(
        "mnist " + prefix + " (bundled)",
        imagesName,
        read(imagesName, images, Idx::readImages),
        labelsName,
        read(labelsName, labels, src -> Idx.readLabels(src, 10)));
  }

  private static String prefix(boolean train) {
    return train ? "train" : "t10k";
  }

  /** Parses one IDX file of a resource, with the bounds of a file on disk. */
  private interface IdxReader<T> {
    T read(FileBytes.Source src) throws IOException;
  }

  private static <T> T read(Path name, String file, IdxReader<T> reader) throws IOException {
    try (InputStream in = Mnist.class.getResourceAsStream(BUNDLED_RESOURCE + file)) {
      if (in == null) {
        throw new DataFileException(name, "not on the classpath (is the ConvCL jar complete?)");
      }
      try (FileBytes.Source src = FileBytes.of(name, in.readAllBytes())) {
        return reader.read(src);
      }
    }
  }

  private static Dataset paired(
      String name, Path imagesFile, Idx.Images images, Path labelsFile, int[] labels)
      throws DataFileException {
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
    return new Dataset(name, images.pixels(), labels, item, Dataset.digits());
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
