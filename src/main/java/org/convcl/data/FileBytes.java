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
    if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
      return gunzip(file, raw);
    }
    return raw;
  }

  private static byte[] gunzip(Path file, byte[] raw) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
      in.transferTo(out);
      return out.toByteArray();
    } catch (java.io.EOFException e) {
      throw new DataFileException(file, "gzip data is truncated", e);
    } catch (java.util.zip.ZipException e) {
      throw new DataFileException(file, "gzip data is corrupt (" + e.getMessage() + ")", e);
    }
  }

  /** Big-endian unsigned 32-bit int at {@code at}. */
  static long u32(byte[] b, int at) {
    return ((b[at] & 0xffL) << 24)
        | ((b[at + 1] & 0xffL) << 16)
        | ((b[at + 2] & 0xffL) << 8)
        | (b[at + 3] & 0xffL);
  }
}
