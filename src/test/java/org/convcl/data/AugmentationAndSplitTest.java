package org.convcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Test;

class AugmentationAndSplitTest {
  private static final Shape ITEM = Shape.of(2, 3, 4);
  private static final Normalization NORM =
      new Normalization(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.25f});

  private static float[] ramp(int images) {
    float[] x = new float[images * ITEM.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    return x;
  }

  @Test
  void everyAugmentedImageIsAShiftedPossiblyMirroredCopyWithBlackShiftedIn() {
    int n = 200;
    float[] original = ramp(n);
    float[] x = original.clone();
    new Augmentation(1, true).apply(x, n, ITEM, NORM, 77);
    float[] black = {-1f, -1f}; // -mean/std of each channel
    Set<String> seen = new HashSet<>();
    for (int b = 0; b < n; b++) {
      String found = null;
      for (int dy = -1; dy <= 1 && found == null; dy++) {
        for (int dx = -1; dx <= 1 && found == null; dx++) {
          for (boolean mirror : new boolean[] {false, true}) {
            if (matches(original, x, b, dx, dy, mirror, black)) {
              found = dx + "," + dy + "," + mirror;
              break;
            }
          }
        }
      }
      assertTrue(found != null, "image " + b + " is no shift/flip of its original");
      seen.add(found);
    }
    assertEquals(18, seen.size(), "200 images try all 9 shifts with and without a flip");
    float[] again = original.clone();
    new Augmentation(1, true).apply(again, n, ITEM, NORM, 77);
    assertArrayEquals(x, again, "equal seeds, equal choices");
    float[] other = original.clone();
    new Augmentation(1, true).apply(other, n, ITEM, NORM, 78);
    assertNotEquals(Arrays.toString(x), Arrays.toString(other));
    float[] none = original.clone();
    Augmentation.none().apply(none, n, ITEM, NORM, 77);
    assertArrayEquals(original, none);
  }

  private static boolean matches(
      float[] src, float[] dst, int b, int dx, int dy, boolean mirror, float[] black) {
    int c = ITEM.dim(0);
    int h = ITEM.dim(1);
    int w = ITEM.dim(2);
    int at = b * ITEM.size();
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int sy = y + dy;
          int sx = (mirror ? w - 1 - x : x) + dx;
          boolean in = sy >= 0 && sy < h && sx >= 0 && sx < w;
          float want = in ? src[at + (ch * h + sy) * w + sx] : black[ch];
          if (dst[at + (ch * h + y) * w + x] != want) {
            return false;
          }
        }
      }
    }
    return true;
  }

  @Test
  void validationSplitIsDisjointCompleteAndSeeded() {
    int n = 50;
    byte[] px = new byte[n * 4];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      px[4 * i] = (byte) i; // the first pixel names the item
      labels[i] = i % 3;
    }
    Dataset d = new Dataset("d", px, labels, Shape.of(1, 2, 2), java.util.List.of("a", "b", "c"));
    Split s = d.splitValidation(0.2, 5);
    assertEquals(40, s.train().size());
    assertEquals(10, s.test().size());
    Set<Integer> all = new HashSet<>();
    for (Dataset part : new Dataset[] {s.train(), s.test()}) {
      for (int i = 0; i < part.size(); i++) {
        int id = part.image(i)[0];
        assertTrue(all.add(id), "item " + id + " is in both parts");
        assertEquals(id % 3, part.label(i), "labels travel with their images");
      }
    }
    assertEquals(n, all.size());
    assertArrayEquals(s.test().pixels(), d.splitValidation(0.2, 5).test().pixels());
    assertNotEquals(
        Arrays.toString(s.test().pixels()),
        Arrays.toString(d.splitValidation(0.2, 6).test().pixels()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> d.splitValidation(1.0, 1));
    assertTrue(e.getMessage().startsWith("validation fraction = 1.0"), e.getMessage());
  }

  @Test
  void gettersReturnCopies() {
    Dataset d = new Dataset("d", new byte[4], new int[] {0}, Shape.of(1, 2, 2), Dataset.digits());
    d.pixels()[0] = 9;
    d.labels()[0] = 9;
    assertEquals(0, d.image(0)[0]);
    assertEquals(0, d.label(0));
    NORM.mean()[0] = 7;
    assertEquals(0.5f, NORM.mean()[0]);
  }

  @Test
  void transparencyShowsTheTrainingGroundAndInvertFlipsStrokes() {
    BufferedImage ink = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    ink.setRGB(0, 0, 0xff000000); // an opaque black stroke
    ink.setRGB(1, 0, 0x00000000); // transparent
    Shape one = Shape.of(1, 1, 2);
    assertArrayEquals(new byte[] {0, 0}, ImageConvert.toBytes(ink, one, true, false));
    assertArrayEquals(new byte[] {(byte) 255, 0}, ImageConvert.toBytes(ink, one, true, true));
    assertArrayEquals(new byte[] {0, (byte) 255}, ImageConvert.toBytes(ink, one, false, false));
  }

  @Test
  void bundledDigitsComeFromTheClasspath() throws IOException {
    Dataset train = Mnist.bundled(true);
    assertEquals(8000, train.size());
    assertEquals("mnist train (bundled)", train.name());
    assertEquals(2000, Mnist.bundled(false).size());
  }
}
