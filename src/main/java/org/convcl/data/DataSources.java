package org.convcl.data;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.convcl.tensor.Shape;

/**
 * Resolves a data argument: {@code mnist} (the bundled 8,000/2,000-digit subset), {@code mnist:DIR}
 * (IDX files), {@code cifar10:DIR} (binary batches) or {@code folder:DIR} (a {@code train/} and a
 * {@code test/} folder, one subfolder per class).
 */
public final class DataSources {
  /** Where the bundled digits live, relative to the project root. */
  public static final String BUNDLED_DIR = "data/mnist";

  /** System property naming the project root; the launcher sets it. */
  public static final String HOME_PROPERTY = "convcl.home";

  private DataSources() {}

  /** Loads train and test parts; {@code folderItem} is the image size folders are scaled to. */
  public static Split load(String spec, Shape folderItem) throws IOException {
    return load(spec, folderItem, null);
  }

  /**
   * As {@link #load(String, Shape)}; folder data is labelled with {@code classNames} (e.g. a
   * checkpoint's) when given, else with the training folder's subfolders.
   */
  public static Split load(String spec, Shape folderItem, List<String> classNames)
      throws IOException {
    String s = requireKnown(spec);
    int colon = s.indexOf(':');
    String kind = colon < 0 ? s : s.substring(0, colon);
    String where = colon < 0 ? null : s.substring(colon + 1);
    switch (kind) {
      case "mnist":
        Path dir = where == null ? bundledMnist() : Path.of(where);
        return new Split(Mnist.load(dir, true), Mnist.load(dir, false));
      case "cifar10":
        Path c = Path.of(where);
        return new Split(Cifar10.load(c, true), Cifar10.load(c, false));
      default:
        Path f = Path.of(where);
        requireImageShape(folderItem);
        Dataset train = ImageFolder.load(f.resolve("train"), folderItem, classNames);
        return new Split(
            train, ImageFolder.load(f.resolve("test"), folderItem, train.classNames()));
    }
  }

  /**
   * {@code spec} trimmed (blank: {@code mnist}) once it names a known source with the directory it
   * needs; otherwise a {@link DataSpecException} saying what is accepted.
   */
  public static String requireKnown(String spec) {
    String s = spec == null || spec.isBlank() ? "mnist" : spec.trim();
    int colon = s.indexOf(':');
    String kind = colon < 0 ? s : s.substring(0, colon);
    String where = colon < 0 ? null : s.substring(colon + 1);
    switch (kind) {
      case "mnist":
        if (where != null) {
          required(spec, where);
        }
        return s;
      case "cifar10":
      case "folder":
        required(spec, where);
        return s;
      default:
        throw new DataSpecException(
            "data = " + spec + ": unknown; use mnist, mnist:DIR, cifar10:DIR or folder:DIR");
    }
  }

  /** Folder images become {@code C x H x W} with C = 1 (grey) or 3 (RGB). */
  private static void requireImageShape(Shape item) {
    if (item == null || item.rank() != 3 || (item.dim(0) != 1 && item.dim(0) != 3)) {
      throw new DataSpecException(
          "--input = "
              + item
              + ": folder images need CxHxW with 1 (grey) or 3 (RGB) channels, e.g. 3x32x32");
    }
  }

  private static String required(String spec, String where) {
    if (where == null || where.isBlank()) {
      throw new DataSpecException("data = " + spec + ": needs a directory, e.g. " + spec + ":path");
    }
    return where;
  }

  /**
   * The bundled digits: under {@code -Dconvcl.home}, the working directory, or the project that
   * holds the running jar ({@code target/..}); the error lists every place it looked.
   */
  public static Path bundledMnist() throws IOException {
    List<Path> tried = new ArrayList<>();
    String home = System.getProperty(HOME_PROPERTY);
    if (home != null) {
      tried.add(Path.of(home, BUNDLED_DIR));
    }
    tried.add(Path.of(BUNDLED_DIR).toAbsolutePath());
    Path jarProject = jarProject();
    if (jarProject != null) {
      tried.add(jarProject.resolve(BUNDLED_DIR));
    }
    for (Path p : tried) {
      if (Files.isRegularFile(p.resolve("train-labels-idx1-ubyte.gz"))) {
        return p;
      }
    }
    throw new DataFileException(
        tried.get(0), "the bundled MNIST digits are not there; looked in " + tried);
  }

  private static Path jarProject() {
    try {
      var src = DataSources.class.getProtectionDomain().getCodeSource();
      if (src == null) {
        return null;
      }
      Path p = Path.of(src.getLocation().toURI()).toAbsolutePath();
      // target/classes or target/convcl-*.jar: the project is two levels up.
      Path parent = p.getParent();
      return parent == null ? null : parent.getParent();
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return null;
    }
  }
}
