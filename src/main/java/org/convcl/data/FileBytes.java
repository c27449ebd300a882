package org.convcl.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.GZIPInputStream;

/**
 * Opens data files, gunzipping those that start with the gzip magic bytes, and reads no more than a
 * file's header or length promises: only regular files are opened (a pipe or device would block or
 * never end), and a gzip stream is read up to the size its header promised, so a small file that
 * inflates to gigabytes costs no more memory than a correct one.
 */
final class FileBytes {
  /**
   * Deflate's largest compression ratio (a 258-byte match in about 2 bits): a gzip file of n bytes
   * inflates to at most this many times n bytes.
   */
  static final long MAX_GZIP_RATIO = 1032;

  /** The largest Java array (a little below {@code Integer.MAX_VALUE}). */
  static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  private FileBytes() {}

  /** An open data file: its stream (inflated when gzipped) and its length on disk. */
  record Source(Path file, InputStream in, boolean gzip, long length) implements AutoCloseable {
    /** The most bytes the stream can yield: the length, or for gzip its largest inflation. */
    long maxBytes() {
      return gzip ? length * MAX_GZIP_RATIO : length;
    }

    /**
     * Exactly {@code n} bytes ({@code what} describes them for messages); fewer is a truncated
     * file. Memory grows with the bytes that actually arrive, not with {@code n}.
     */
    byte[] readExactly(long n, String what) throws IOException {
      if (n > MAX_ARRAY) {
        throw new DataFileException(
            file, "the header promises " + what + " (" + n + " bytes), more than fits in memory");
      }
      if (n > maxBytes()) {
        throw new DataFileException(
            file,
            "truncated: the header promises "
                + what
                + " ("
                + n
                + " bytes) but a "
                + (gzip ? "gzip file" : "file")
                + " of "
                + length
                + " bytes cannot hold them");
      }
      byte[] b = inflated(() -> in.readNBytes((int) n));
      if (b.length < n) {
        throw new DataFileException(
            file,
            "truncated: the header promises "
                + what
                + " ("
                + n
                + " bytes) but only "
                + b.length
                + " follow");
      }
      return b;
    }

    /** Up to {@code n} bytes (fewer at the end of the file), e.g. a header. */
    byte[] readUpTo(int n) throws IOException {
      return inflated(() -> in.readNBytes(n));
    }

    /** The rest must be empty: a file longer than its header says is refused. */
    void requireEnd(String what) throws IOException {
      byte[] more = inflated(() -> in.readNBytes(4096));
      if (more.length > 0) {
        throw new DataFileException(
            file,
            (more.length < 4096 ? more.length + " " : "at least 4096 ")
                + "unexpected bytes after "
                + what);
      }
    }

    /** All that is left, at most {@code limit} bytes; more is refused. */
    byte[] readAtMost(long limit, String what) throws IOException {
      long cap = Math.min(Math.min(limit, MAX_ARRAY), maxBytes());
      byte[] b = inflated(() -> in.readNBytes((int) Math.min(cap + 1, MAX_ARRAY)));
      if (b.length > cap) {
        throw new DataFileException(file, "holds more than " + cap + " bytes of " + what);
      }
      return b;
    }

    private byte[] inflated(IoRead read) throws IOException {
      try {
        return read.get();
      } catch (java.io.EOFException e) {
        throw new DataFileException(file, "gzip data is truncated", e);
      } catch (java.util.zip.ZipException e) {
        throw new DataFileException(file, "gzip data is corrupt (" + e.getMessage() + ")", e);
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private interface IoRead {
    byte[] get() throws IOException;
  }

  /** Opens {@code file}, which must be a regular file; gzip is detected from its first bytes. */
  static Source open(Path file) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new DataFileException(file, "file not found", e);
    }
    if (attrs.isDirectory()) {
      throw new DataFileException(file, "is a directory, not a data file");
    }
    if (!attrs.isRegularFile()) {
      throw new DataFileException(file, "is not a regular file (a pipe, socket or device)");
    }
    return source(file, new BufferedInputStream(Files.newInputStream(file)), attrs.size());
  }

  /**
   * Bytes that are not a file (a classpath resource), read like one: gzip detected from the first
   * bytes, the same bounds. {@code name} names them in messages.
   */
  static Source of(Path name, byte[] bytes) throws IOException {
    return source(name, new java.io.ByteArrayInputStream(bytes), bytes.length);
  }

  /** {@code raw} (which supports mark), inflated when it starts with the gzip magic bytes. */
  private static Source source(Path file, InputStream raw, long length) throws IOException {
    try {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gzip = b0 == 0x1f && b1 == 0x8b;
      InputStream in = raw;
      if (gzip) {
        try {
          in = new GZIPInputStream(raw);
        } catch (java.io.EOFException e) {
          throw new DataFileException(file, "gzip data is truncated", e);
        } catch (java.util.zip.ZipException e) {
          throw new DataFileException(file, "gzip data is corrupt (" + e.getMessage() + ")", e);
        }
      }
      return new Source(file, in, gzip, length);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** A whole data file of at most {@code limit} bytes (after gunzipping). */
  static byte[] read(Path file, long limit) throws IOException {
    try (Source s = open(file)) {
      return s.readAtMost(limit, "data");
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
