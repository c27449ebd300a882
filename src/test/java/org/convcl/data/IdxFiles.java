package org.convcl.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes IDX files (optionally broken) for loader tests. */
final class IdxFiles {
  private IdxFiles() {}

  static byte[] images(int magic, int n, int rows, int cols, byte[] pixels) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(magic);
    d.writeInt(n);
    d.writeInt(rows);
    d.writeInt(cols);
    d.write(pixels);
    return b.toByteArray();
  }

  static byte[] labels(int magic, int n, byte[] labels) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(magic);
    d.writeInt(n);
    d.write(labels);
    return b.toByteArray();
  }

  static Path write(Path file, byte[] data, boolean gzip) throws IOException {
    if (!gzip) {
      return Files.write(file, data);
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(data);
    }
    return file;
  }
}
