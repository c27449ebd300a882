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
 * are the subfolder names in sorted order, images are converted to {@code itemShape}.
 */
public final class ImageFolder {
  private ImageFolder() {}

  public static Dataset load(Path root, Shape itemShape) throws IOException {
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
    List<String> names = new ArrayList<>();
    List<byte[]> images = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Path dir : classDirs) {
      int label = names.size();
      names.add(dir.getFileName().toString());
      for (Path f : imageFiles(dir)) {
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
