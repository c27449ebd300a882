package org.convcl.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file-system steps of an {@link AtomicFile} write, one method each, so a test can fail or
 * "kill" the writer at any one of them and check what a crash there leaves behind.
 */
interface FileSteps {
  /** Creates an empty temporary file {@code prefix<random>.tmp} in {@code dir}. */
  Path createTemp(Path dir, String prefix) throws IOException;

  /** Writes all of {@code body} to {@code file}, from its start. */
  void write(Path file, byte[] body) throws IOException;

  /** Flushes {@code file}'s contents to the disk (fsync). */
  void fsync(Path file) throws IOException;

  /** Renames {@code from} over {@code to}, atomically where the platform can. */
  void rename(Path from, Path to) throws IOException;

  /** Makes a rename in {@code dir} durable (fsync of the directory), where the platform allows. */
  void fsyncDirectory(Path dir) throws IOException;

  /** Removes {@code file} if it exists. */
  void delete(Path file) throws IOException;

  /** The real file system. */
  FileSteps SYSTEM =
      new FileSteps() {
        @Override
        public Path createTemp(Path dir, String prefix) throws IOException {
          Path tmp = Files.createTempFile(dir, prefix, AtomicFile.TEMP_SUFFIX);
          // Temporary files start as owner-only; the result is an ordinary output file.
          if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
          }
          return tmp;
        }

        @Override
        public void write(Path file, byte[] body) throws IOException {
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(body);
            while (b.hasRemaining()) {
              ch.write(b);
            }
          }
        }

        @Override
        public void fsync(Path file) throws IOException {
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
          }
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
          try {
            Files.move(
                from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
          }
        }

        @Override
        public void fsyncDirectory(Path dir) {
          try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
          } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open directories; the rename is still atomic there.
          }
        }

        @Override
        public void delete(Path file) throws IOException {
          Files.deleteIfExists(file);
        }
      };
}
