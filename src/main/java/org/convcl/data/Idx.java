package org.convcl.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The IDX format of MNIST: a 4-byte magic {@code 0x0000 08 D} (8 = unsigned bytes, D = number of
 * dimensions), D big-endian 32-bit sizes, then the data row-major. Image files have D = 3 ({@code
 * 0x00000803}), label files D = 1 ({@code 0x00000801}).
 */
public final class Idx {
  /** Images {@code [n][rows][cols]} as unsigned bytes. */
  public record Images(int count, int rows, int cols, byte[] pixels) {}

  private Idx() {}

  public static Images readImages(Path file) throws IOException {
    return images(file, FileBytes.read(file));
  }

  /** Parses the (already gunzipped) bytes {@code b} of an image file; {@code file} names it. */
  static Images images(Path file, byte[] b) throws DataFileException {
    int[] dims = header(file, b, 3);
    int offset = 4 + 4 * 3;
    long expected = (long) dims[0] * dims[1] * dims[2];
    checkLength(file, b, offset, expected, dims[0] + " images of " + dims[1] + "x" + dims[2]);
    byte[] px = java.util.Arrays.copyOfRange(b, offset, offset + (int) expected);
    return new Images(dims[0], dims[1], dims[2], px);
  }

  /** Labels {@code [n]}, each checked to be below {@code classes}. */
  public static int[] readLabels(Path file, int classes) throws IOException {
    return labels(file, FileBytes.read(file), classes);
  }

  /** Parses the (already gunzipped) bytes {@code b} of a label file; {@code file} names it. */
  static int[] labels(Path file, byte[] b, int classes) throws DataFileException {
    int[] dims = header(file, b, 1);
    checkLength(file, b, 8, dims[0], dims[0] + " labels");
    int[] labels = new int[dims[0]];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = b[8 + i] & 0xff;
      if (labels[i] >= classes) {
        throw new DataFileException(
            file, "label " + i + " is " + labels[i] + ", outside [0, " + classes + ")");
      }
    }
    return labels;
  }

  private static int[] header(Path file, byte[] b, int rank) throws DataFileException {
    if (b.length < 4 + 4 * rank) {
      throw new DataFileException(
          file, "truncated: " + b.length + " bytes, shorter than the IDX header");
    }
    long magic = FileBytes.u32(b, 0);
    long want = 0x0800L | rank;
    if (magic != want) {
      throw new DataFileException(
          file,
          String.format(
              "bad magic number 0x%08X, expected 0x%08X (IDX unsigned bytes, %d dimension%s)",
              magic, want, rank, rank == 1 ? "" : "s"));
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

  private static void checkLength(Path file, byte[] b, int offset, long expected, String what)
      throws DataFileException {
    long actual = b.length - offset;
    if (actual < expected) {
      throw new DataFileException(
          file,
          "truncated: the header promises "
              + what
              + " ("
              + expected
              + " bytes) but only "
              + actual
              + " follow");
    }
    if (actual > expected) {
      throw new DataFileException(
          file, (actual - expected) + " unexpected bytes after " + what + " (" + expected + ")");
    }
  }
}
