package org.convcl.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads a whole data file, gunzipping it when it starts with the gzip magic bytes. */
final class FileBytes {
  private FileBytes() {}

  static byte[] read(Path file) throws IOException {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DataFileException(file, "file not found", e);
    }
    return decode(file, raw);
  }

  /** {@code raw} itself, or gunzipped when it starts with the gzip magic bytes. */
  static byte[] decode(Path file, byte[] raw) throws IOException {
    if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
      return gunzip(file, raw);
    }
    return raw;
  }

  private static byte[] gunzip(Path file, byte[] raw) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(initialCapacity(raw.length));
      in.transferTo(out);
      return out.toByteArray();
    } catch (java.io.EOFException e) {
      throw new DataFileException(file, "gzip data is truncated", e);
    } catch (java.util.zip.ZipException e) {
      throw new DataFileException(file, "gzip data is corrupt (" + e.getMessage() + ")", e);
    }
  }

  /**
   * A guess of four times the compressed size, computed in long and capped below the largest Java
   * array: {@code raw.length * 4} in int arithmetic turns negative past 512 MiB.
   */
  static int initialCapacity(long compressedBytes) {
    return (int) Math.min(compressedBytes * 4, Integer.MAX_VALUE - 8);
  }

  /** Big-endian unsigned 32-bit int at {@code at}. */
  static long u32(byte[] b, int at) {
    return ((b[at] & 0xffL) << 24)
        | ((b[at + 1] & 0xffL) << 16)
        | ((b[at + 2] & 0xffL) << 8)
        | (b[at + 3] & 0xffL);
  }
}
