package org.convcl.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.convcl.tensor.Shape;

/**
 * CIFAR-10's binary batches: {@code data_batch_1.bin .. data_batch_5.bin} and {@code
 * test_batch.bin}, each a run of 3,073-byte records: one label byte (0-9), then 1,024 red, 1,024
 * green and 1,024 blue bytes of a 32x32 image, row-major (which is already {@code [C][H][W]}).
 */
public final class Cifar10 {
  private static final int PIXELS = 3 * 32 * 32;
  private static final int RECORD = 1 + PIXELS;
  private static final List<String> CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private Cifar10() {}

  /** The training batches or the test batch in {@code dir} (or its cifar-10-batches-bin). */
  public static Dataset load(Path dir, boolean train) throws IOException {
    Path base =
        Files.isDirectory(dir.resolve("cifar-10-batches-bin"))
            ? dir.resolve("cifar-10-batches-bin")
            : dir;
    List<Path> files = new ArrayList<>();
    if (train) {
      for (int i = 1; i <= 5; i++) {
        files.add(base.resolve("data_batch_" + i + ".bin"));
      }
    } else {
      files.add(base.resolve("test_batch.bin"));
    }
    List<byte[]> parts = new ArrayList<>();
    for (Path f : files) {
      parts.add(readBatch(f));
    }
    return assemble("cifar10 " + (train ? "train" : "test") + " (" + base + ")", files, parts);
  }

  /** Reads one batch file on its own. */
  public static Dataset loadFile(Path file) throws IOException {
    return assemble("cifar10 (" + file + ")", List.of(file), List.of(readBatch(file)));
  }

  /** One batch file; a raw one's length is checked before any of it is read. */
  private static byte[] readBatch(Path file) throws IOException {
    try (FileBytes.Source src = FileBytes.open(file)) {
      if (!src.gzip()) {
        records(file, src.length());
      }
      return src.readAtMost(FileBytes.MAX_ARRAY / RECORD * RECORD, "CIFAR-10 records");
    }
  }

  private static Dataset assemble(String name, List<Path> files, List<byte[]> parts)
      throws DataFileException {
    long total = 0;
    for (int i = 0; i < parts.size(); i++) {
      total += records(files.get(i), parts.get(i).length);
    }
    if (total * PIXELS > FileBytes.MAX_ARRAY) {
      throw new DataFileException(
          files.get(0).toAbsolutePath().getParent(),
          total + " CIFAR-10 records are more than one Java array of pixels holds");
    }
    byte[] pixels = new byte[(int) (total * PIXELS)];
    int[] labels = new int[(int) total];
    int at = 0;
    for (int i = 0; i < parts.size(); i++) {
      byte[] b = parts.get(i);
      for (int r = 0; r < b.length / RECORD; r++, at++) {
        labels[at] = b[r * RECORD] & 0xff;
        if (labels[at] > 9) {
          throw new DataFileException(
              files.get(i), "record " + r + " has label " + labels[at] + ", outside [0, 10)");
        }
        System.arraycopy(b, r * RECORD + 1, pixels, at * PIXELS, PIXELS);
      }
    }
    return new Dataset(name, pixels, labels, Shape.of(3, 32, 32), CLASSES);
  }

  private static int records(Path file, long bytes) throws DataFileException {
    if (bytes == 0) {
      throw new DataFileException(file, "is empty");
    }
    if (bytes % RECORD != 0) {
      throw new DataFileException(
          file,
          "truncated or not a CIFAR-10 batch: "
              + bytes
              + " bytes is not a whole number of 3073-byte records ("
              + bytes / RECORD
              + " records and "
              + bytes % RECORD
              + " bytes)");
    }
    return (int) (bytes / RECORD);
  }
}
