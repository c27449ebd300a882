package org.convcl.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.convcl.tensor.Shape;

/**
 * Resolves a data argument: {@code mnist} (the bundled 8,000/2,000-digit subset, from the jar),
 * {@code mnist:DIR} (IDX files), {@code cifar10:DIR} (binary batches) or {@code folder:DIR} (a
 * {@code train/} and a {@code test/} folder, one subfolder per class).
 */
public final class DataSources {
  private DataSources() {}

  /**
   * Loads train and test parts.
   *
   * @param spec {@code mnist}, {@code mnist:DIR}, {@code cifar10:DIR} or {@code folder:DIR}
   * @param folderItem the image size folder data is scaled to (ignored by the others)
   * @return the training and test sets
   * @throws IOException when a file is missing or malformed (naming it)
   */
  public static Split load(String spec, Shape folderItem) throws IOException {
    return load(spec, folderItem, null);
  }

  /**
   * As {@link #load(String, Shape)}; folder data is labelled with {@code classNames} (e.g. a
   * checkpoint's) when given, else with the training folder's subfolders.
   *
   * @param spec {@code mnist}, {@code mnist:DIR}, {@code cifar10:DIR} or {@code folder:DIR}
   * @param folderItem the image size folder data is scaled to (ignored by the others)
   * @param classNames the classes folder data is labelled with, or null
   * @return the training and test sets
   * @throws IOException when a file is missing or malformed (naming it)
   */
  public static Split load(String spec, Shape folderItem, List<String> classNames)
      throws IOException {
    String s = requireKnown(spec);
    int colon = s.indexOf(':');
    String kind = colon < 0 ? s : s.substring(0, colon);
    String where = colon < 0 ? null : s.substring(colon + 1);
    switch (kind) {
      case "mnist":
        if (where == null) {
          return bundledMnist();
        }
        Path dir = Path.of(where);
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
   * Checks a data source spec without reading any data.
   *
   * @param spec a data source, e.g. {@code mnist} or {@code cifar10:DIR}; null or blank means
   *     {@code mnist}
   * @return {@code spec} trimmed (blank: {@code mnist}) once it names a known source with the
   *     directory it needs
   * @throws DataSpecException saying what is accepted, when it names none
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
   * The bundled digits, read from the classpath (see {@link Mnist#bundled}).
   *
   * @return the 8,000 training and 2,000 test digits
   * @throws IOException when the resources are missing or damaged
   */
  public static Split bundledMnist() throws IOException {
    return new Split(Mnist.bundled(true), Mnist.bundled(false));
  }
}
