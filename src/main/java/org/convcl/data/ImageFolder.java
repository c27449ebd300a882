package org.convcl.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.convcl.tensor.Shape;

/**
 * A folder with one subfolder per class ({@code root/cat/*.png}, {@code root/dog/*.jpg}); classes
 * are the subfolder names in sorted order, images are converted to {@code itemShape}. A test folder
 * is loaded with its training folder's class list, so label i means the same class in both even
 * when the test folder lacks some class.
 */
public final class ImageFolder {
  private ImageFolder() {}

  public static Dataset load(Path root, Shape itemShape) throws IOException {
    return load(root, itemShape, null);
  }

  /**
   * Loads {@code root} labelling each subfolder by its index in {@code classNames} (null: the
   * sorted subfolder names); a subfolder that is not in the list is an error naming it.
   */
  public static Dataset load(Path root, Shape itemShape, List<String> classNames)
      throws IOException {
    if (!Files.isDirectory(root)) {
      throw new DataFileException(root, "is not a directory");
    }
    List<Path> classDirs;
    try (Stream<Path> s = Files.list(root)) {
      classDirs = s.filter(Files::isDirectory).sorted().toList();
    }
    if (classDirs.isEmpty()) {
      throw new DataFileException(root, "has no class subfolders (expected root/<class>/<image>)");
    }
    List<String> names =
        classNames != null
            ? List.copyOf(classNames)
            : classDirs.stream().map(d -> d.getFileName().toString()).toList();
    List<byte[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Path dir : classDirs) {
      int label = names.indexOf(dir.getFileName().toString());
      if (label < 0) {
        throw new DataFileException(
            dir,
            "class "
                + dir.getFileName()
                + " is not one of the training classes "
                + names
                + "; a test folder may only hold classes its training folder has");
      }
      List<Path> files = imageFiles(dir);
      if (files.isEmpty()) {
        throw new DataFileException(
            dir, "class folder " + dir.getFileName() + " holds no .png, .jpg or .jpeg images");
      }
      for (Path f : files) {
        images.add(ImageConvert.read(f, itemShape));
        labels.add(label);
      }
    }
    if (images.isEmpty()) {
      throw new DataFileException(root, "holds no .png, .jpg or .jpeg images in its subfolders");
    }
    byte[] px = new byte[images.size() * itemShape.size()];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.get(i), 0, px, i * itemShape.size(), itemShape.size());
    }
    int[] lb = labels.stream().mapToInt(Integer::intValue).toArray();
    return new Dataset("folder (" + root + ")", px, lb, itemShape, names);
  }

  static List<Path> imageFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
    }
  }

  static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
  }
}
