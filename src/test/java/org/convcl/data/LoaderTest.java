package org.convcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderTest {
  @TempDir Path dir;

  private static final long SEED = 99;

  private byte[] pixels(int n) {
    byte[] px = new byte[n * 4 * 3];
    new Random(SEED).nextBytes(px);
    return px;
  }

  private void writeMnist(boolean gzip, int nImages, int nLabels, int maxLabel) throws IOException {
    String ext = gzip ? ".gz" : "";
    for (String prefix : new String[] {"train", "t10k"}) {
      IdxFiles.write(
          dir.resolve(prefix + "-images-idx3-ubyte" + ext),
          IdxFiles.images(0x803, nImages, 4, 3, pixels(nImages)),
          gzip);
      byte[] lb = new byte[nLabels];
      for (int i = 0; i < nLabels; i++) {
        lb[i] = (byte) (i % (maxLabel + 1));
      }
      IdxFiles.write(
          dir.resolve(prefix + "-labels-idx1-ubyte" + ext),
          IdxFiles.labels(0x801, nLabels, lb),
          gzip);
    }
  }

  @Test
  void mnistRawAndGzippedRoundTrip() throws IOException {
    for (boolean gzip : new boolean[] {false, true}) {
      writeMnist(gzip, 5, 5, 9);
      Dataset d = Mnist.load(dir, true);
      assertEquals(5, d.size());
      assertEquals(Shape.of(1, 4, 3), d.itemShape());
      assertArrayEquals(pixels(5), d.pixels());
      assertArrayEquals(new int[] {0, 1, 2, 3, 4}, d.labels());
      try (var s = Files.list(dir)) {
        for (Path p : s.toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  void bundledDigitsLoad() throws IOException {
    Split s = DataSources.load("mnist", null);
    assertEquals(8000, s.train().size());
    assertEquals(2000, s.test().size());
    assertEquals(Shape.of(1, 28, 28), s.train().itemShape());
    int[] counts = new int[10];
    Arrays.stream(s.test().labels()).forEach(l -> counts[l]++);
    assertTrue(Arrays.stream(counts).allMatch(c -> c >= 100), Arrays.toString(counts));
  }

  @Test
  void badMagicIsNamed() throws IOException {
    Path f = IdxFiles.write(dir.resolve("x"), IdxFiles.images(0x801, 2, 4, 3, pixels(2)), false);
    DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("bad magic number 0x00000801"), e.getMessage());
  }

  @Test
  void truncatedImagesAreRefused() throws IOException {
    byte[] good = IdxFiles.images(0x803, 3, 4, 3, pixels(3));
    Path f = IdxFiles.write(dir.resolve("x.gz"), Arrays.copyOf(good, good.length - 5), true);
    DataFileException e = assertThrows(DataFileException.class, () -> Idx.readImages(f));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains("31 follow"), e.getMessage());
  }

  @Test
  void truncatedHeaderAndGzipAreRefused() throws IOException {
    Path h = IdxFiles.write(dir.resolve("h"), new byte[] {0, 0, 8}, false);
    assertTrue(
        assertThrows(DataFileException.class, () -> Idx.readImages(h))
            .getMessage()
            .contains("shorter than the IDX header"));
    Path gz = IdxFiles.write(dir.resolve("g.gz"), IdxFiles.images(0x803, 3, 4, 3, pixels(3)), true);
    byte[] b = Files.readAllBytes(gz);
    Files.write(gz, Arrays.copyOf(b, b.length / 2));
    assertTrue(
        assertThrows(DataFileException.class, () -> Idx.readImages(gz))
            .getMessage()
            .contains("gzip"));
  }

  @Test
  void trailingBytesAreRefused() throws IOException {
    byte[] good = IdxFiles.labels(0x801, 3, new byte[] {1, 2, 3});
    Path f = IdxFiles.write(dir.resolve("l"), Arrays.copyOf(good, good.length + 2), false);
    DataFileException e = assertThrows(DataFileException.class, () -> Idx.readLabels(f, 10));
    assertTrue(e.getMessage().contains("2 unexpected bytes"), e.getMessage());
  }

  @Test
  void labelOutOfRangeIsNamed() throws IOException {
    Path f =
        IdxFiles.write(dir.resolve("l"), IdxFiles.labels(0x801, 3, new byte[] {1, 12, 3}), false);
    DataFileException e = assertThrows(DataFileException.class, () -> Idx.readLabels(f, 10));
    assertTrue(e.getMessage().contains("label 1 is 12"), e.getMessage());
  }

  @Test
  void countMismatchIsNamed() throws IOException {
    writeMnist(false, 5, 4, 9);
    DataFileException e = assertThrows(DataFileException.class, () -> Mnist.load(dir, true));
    assertTrue(e.getMessage().contains("holds 4 labels but"), e.getMessage());
    assertTrue(e.getMessage().contains("5 images"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    DataFileException e = assertThrows(DataFileException.class, () -> Mnist.load(dir, false));
    assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
  }

  private static byte[] cifarRecords(int n, int badLabelAt) {
    byte[] b = new byte[n * 3073];
    new Random(SEED).nextBytes(b);
    for (int i = 0; i < n; i++) {
      b[i * 3073] = (byte) (i == badLabelAt ? 10 : i % 10);
    }
    return b;
  }

  @Test
  void cifarBatchLoads() throws IOException {
    byte[] rec = cifarRecords(3, -1);
    Path f = Files.write(dir.resolve("test_batch.bin"), rec);
    Dataset d = Cifar10.load(dir, false);
    assertEquals(3, d.size());
    assertEquals(Shape.of(3, 32, 32), d.itemShape());
    assertArrayEquals(new int[] {0, 1, 2}, d.labels());
    assertArrayEquals(
        Arrays.copyOfRange(rec, 3074, 3074 + 3072), Arrays.copyOfRange(d.pixels(), 3072, 6144));
    assertEquals("frog", d.classNames().get(6));
    assertTrue(Files.exists(f));
  }

  @Test
  void cifarTruncatedAndBadLabelAreRefused() throws IOException {
    Path f = Files.write(dir.resolve("b.bin"), Arrays.copyOf(cifarRecords(2, -1), 3073 + 100));
    DataFileException e = assertThrows(DataFileException.class, () -> Cifar10.loadFile(f));
    assertTrue(e.getMessage().contains("1 records and 100 bytes"), e.getMessage());
    Path g = Files.write(dir.resolve("c.bin"), cifarRecords(3, 2));
    e = assertThrows(DataFileException.class, () -> Cifar10.loadFile(g));
    assertTrue(e.getMessage().contains("record 2 has label 10"), e.getMessage());
    Path empty = Files.write(dir.resolve("d.bin"), new byte[0]);
    assertThrows(DataFileException.class, () -> Cifar10.loadFile(empty));
  }

  @Test
  void imageFolderConvertsToModelShape() throws IOException {
    for (String cls : new String[] {"cat", "dog"}) {
      Files.createDirectories(dir.resolve(cls));
      BufferedImage img = new BufferedImage(10, 6, BufferedImage.TYPE_INT_RGB);
      int grey = cls.equals("cat") ? 0x404040 : 0xC0C0C0;
      for (int y = 0; y < 6; y++) {
        for (int x = 0; x < 10; x++) {
          img.setRGB(x, y, grey);
        }
      }
      ImageIO.write(img, "png", dir.resolve(cls).resolve("a.png").toFile());
      ImageIO.write(img, "jpg", dir.resolve(cls).resolve("b.jpg").toFile());
    }
    Dataset d = ImageFolder.load(dir, Shape.of(1, 4, 4));
    assertEquals(4, d.size());
    assertEquals(java.util.List.of("cat", "dog"), d.classNames());
    assertArrayEquals(new int[] {0, 0, 1, 1}, d.labels());
    assertEquals(0x40, d.pixels()[0] & 0xff);
    assertEquals(0xC0, d.pixels()[2 * 16] & 0xff);
    Dataset rgb = ImageFolder.load(dir, Shape.of(3, 8, 8));
    assertEquals(4 * 3 * 64, rgb.pixels().length);
  }

  @Test
  void brokenImageIsNamed() throws IOException {
    Files.createDirectories(dir.resolve("x"));
    Path bad = Files.write(dir.resolve("x").resolve("broken.png"), new byte[] {1, 2, 3});
    DataFileException e =
        assertThrows(DataFileException.class, () -> ImageFolder.load(dir, Shape.of(1, 4, 4)));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
  }

  @Test
  void emptyFolderIsRefused() {
    assertThrows(DataFileException.class, () -> ImageFolder.load(dir, Shape.of(1, 4, 4)));
  }

  @Test
  void normalizationStandardises() {
    byte[] px = {0, (byte) 255, 0, (byte) 255};
    Dataset d = new Dataset("t", px, new int[] {0}, Shape.of(1, 2, 2), Dataset.digits());
    Normalization n = Normalization.of(d);
    assertEquals(0.5f, n.mean()[0], 1e-6);
    assertEquals(0.5f, n.std()[0], 1e-6);
    float[] out = new float[4];
    d.fill(new int[] {0}, 0, 1, n, out, new int[1]);
    assertArrayEquals(new float[] {-1, 1, -1, 1}, out, 1e-6f);
  }
}
