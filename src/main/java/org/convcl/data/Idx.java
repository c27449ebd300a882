package org.convcl.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The IDX format of MNIST: a 4-byte magic {@code 0x0000 08 D} (8 = unsigned bytes, D = number of
 * dimensions), D big-endian 32-bit sizes, then the data row-major. Image files have D = 3 ({@code
 * 0x00000803}), label files D = 1 ({@code 0x00000801}). The header is read and checked first; then
 * exactly the bytes it promises are read, and anything after them is refused.
 */
public final class Idx {
  /** Images {@code [n][rows][cols]} as unsigned bytes. */
  public record Images(int count, int rows, int cols, byte[] pixels) {}

  private Idx() {}

  public static Images readImages(Path file) throws IOException {
    try (FileBytes.Source src = FileBytes.open(file)) {
      return readImages(src);
    }
  }

  /** The images of an open IDX source (a file, or bytes read like one). */
  static Images readImages(FileBytes.Source src) throws IOException {
    int[] dims = header(src, 3);
    long expected = (long) dims[0] * dims[1] * dims[2];
    String what = dims[0] + " images of " + dims[1] + "x" + dims[2];
    byte[] px = src.readExactly(expected, what);
    src.requireEnd(what + " (" + expected + ")");
    return new Images(dims[0], dims[1], dims[2], px);
  }

  /** Labels {@code [n]}, each checked to be below {@code classes}. */
  public static int[] readLabels(Path file, int classes) throws IOException {
    try (FileBytes.Source src = FileBytes.open(file)) {
      return readLabels(src, classes);
    }
  }

  /** The labels of an open IDX source (a file, or bytes read like one). */
  static int[] readLabels(FileBytes.Source src, int classes) throws IOException {
    Path file = src.file();
    int[] dims = header(src, 1);
    String what = dims[0] + " labels";
    byte[] b = src.readExactly(dims[0], what);
    src.requireEnd(what + " (" + dims[0] + ")");
    int[] labels = new int[dims[0]];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = b[i] & 0xff;
      if (labels[i] >= classes) {
        throw new DataFileException(
            file, "label " + i + " is " + labels[i] + ", outside [0, " + classes + ")");
      }
    }
    return labels;
  }

  private static int[] header(FileBytes.Source src, int rank) throws IOException {
    Path file = src.file();
    byte[] b = src.readUpTo(4 + 4 * rank);
    if (b.length < 4 + 4 * rank) {
      if (b.length >= 4 && FileBytes.u32(b, 0) != (0x0800L | rank)) {
        throw badMagic(file, FileBytes.u32(b, 0), rank);
      }
      throw new DataFileException(
          file, "truncated: " + b.length + " bytes, shorter than the IDX header");
    }
    long magic = FileBytes.u32(b, 0);
    if (magic != (0x0800L | rank)) {
      throw badMagic(file, magic, rank);
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      long d = FileBytes.u32(b, 4 + 4 * i);
      if (d < 1 || d > Integer.MAX_VALUE) {
        throw new DataFileException(file, "dimension " + i + " is " + d + ", must be at least 1");
      }
      dims[i] = (int) d;
    }
    return dims;
  }

  private static DataFileException badMagic(Path file, long magic, int rank) {
    return new DataFileException(
        file,
        String.format(
            "bad magic number 0x%08X, expected 0x%08X (IDX unsigned bytes, %d dimension%s)",
            magic, 0x0800L | rank, rank, rank == 1 ? "" : "s"));
  }
}
