package org.convcl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.convcl.tensor.Shape;
import org.convcl.testutil.Allocation;
import org.convcl.testutil.Required;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data readers read what a header promises and no more, and open only regular files. */
class FileBytesTest {
  @TempDir Path dir;

  /** An IDX image header for {@code n} images of {@code rows x cols}, then {@code zeros} zeros. */
  private Path gzipped(String name, int n, int rows, int cols, long zeros) throws IOException {
    Path f = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f), 1 << 16)) {
      out.write(IdxFiles.images(0x803, n, rows, cols, new byte[0]));
      byte[] chunk = new byte[1 << 20];
      for (long left = zeros; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
    }
    return f;
  }

  @Test
  void gunzipStopsAtTheSizeTheHeaderPromisesAndRefusesTrailingData() throws IOException {
    // 3 images of 4x3 promised, 256 MiB of zeros behind them (a gzip of about 250 KB).
    Path bomb = gzipped("bomb.gz", 3, 4, 3, 256L << 20);
    long bytes =
        Allocation.bytes(
            () -> {
              DataFileException e =
                  assertThrows(DataFileException.class, () -> Idx.readImages(bomb));
              assertTrue(e.getMessage().startsWith(bomb.toString()), e.getMessage());
              assertTrue(e.getMessage().contains("unexpected bytes after"), e.getMessage());
            });
    assertTrue(bytes < 16_000_000, bytes + " bytes allocated");
  }

  @Test
  void aPromiseTheFileCannotKeepIsRefusedBeforeReading() throws IOException {
    // 100,000 images of 28x28 (78 MB) promised by a gzip file of a few hundred bytes.
    Path small = gzipped("small.gz", 100_000, 28, 28, 1000);
    long bytes =
        Allocation.bytes(
            () -> {
              DataFileException e =
                  assertThrows(DataFileException.class, () -> Idx.readImages(small));
              assertTrue(e.getMessage().contains("cannot hold them"), e.getMessage());
              assertTrue(!e.getMessage().contains("-Xmx"), e.getMessage());
            });
    assertTrue(bytes < 8_000_000, bytes + " bytes allocated");
    Path huge = gzipped("huge.gz", 1_000_000, 1000, 1000, 10);
    assertTrue(
        assertThrows(DataFileException.class, () -> Idx.readImages(huge))
            .getMessage()
            .contains("more than fits in memory"));
  }

  @Test
  void pipesAndDirectoriesAreRefusedAtOnce() throws Exception {
    assertTrue(
        assertThrows(DataFileException.class, () -> Idx.readLabels(dir, 10))
            .getMessage()
            .contains("is a directory"));
    Path fifo = Required.fifo(dir.resolve("labels"));
    DataFileException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> assertThrows(DataFileException.class, () -> Idx.readLabels(fifo, 10)));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> assertThrows(DataFileException.class, () -> Cifar10.loadFile(fifo)));
  }

  @Test
  void aRawCifarBatchIsMeasuredBeforeItIsRead() throws IOException {
    Path f = Files.write(dir.resolve("b.bin"), new byte[3073 * 2 + 5]);
    assertTrue(
        assertThrows(DataFileException.class, () -> Cifar10.loadFile(f))
            .getMessage()
            .contains("2 records and 5 bytes"));
    Path ok = Files.write(dir.resolve("ok.bin"), new byte[3073 * 2]);
    assertEquals(2, Cifar10.loadFile(ok).size());
  }

  @Test
  void anEmptyClassFolderIsRefusedWithItsPath() throws IOException {
    Path root = dir.resolve("train");
    Path a = Files.createDirectories(root.resolve("a"));
    Path b = Files.createDirectories(root.resolve("b"));
    ImageIO.write(
        new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), "png", a.resolve("0.png").toFile());
    DataFileException e =
        assertThrows(DataFileException.class, () -> ImageFolder.load(root, Shape.of(1, 4, 4)));
    assertTrue(e.getMessage().startsWith(b.toString()), e.getMessage());
  }
}
