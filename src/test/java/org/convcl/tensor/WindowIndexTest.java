package org.convcl.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The window-index rule shared by the CPU oracle and the explain command. */
class WindowIndexTest {
  @Test
  void knownPositions() {
    // oh = 2, stride 2, padTop 1: the window starts at 2*2 - 1 = 3; tap r = 2 with dilation 2
    // reads 3 + 2*2 = 7.
    assertEquals(3, WindowIndex.start(2, 2, 1));
    assertEquals(7, WindowIndex.input(2, 2, 1, 2, 2));
    // the first window of a padded input starts in the padding
    assertEquals(-1, WindowIndex.start(0, 1, 1));
    assertEquals(-1, WindowIndex.input(0, 1, 1, 0, 1));
    assertTrue(WindowIndex.inside(0, 4));
    assertTrue(WindowIndex.inside(3, 4));
    assertFalse(WindowIndex.inside(-1, 4));
    assertFalse(WindowIndex.inside(4, 4));
  }

  @Test
  void validOutputsKnownAnswers() {
    // W = 5, pad 1, kernel 3, stride 1 -> outW 5. Tap 0 reads ow - 1: real for ow in [1, 5);
    // tap 2 reads ow + 1: real for ow in [0, 4).
    assertArrayEquals(new int[] {1, 5}, WindowIndex.validOutputs(5, 1, 1, 0, 1, 5));
    assertArrayEquals(new int[] {0, 4}, WindowIndex.validOutputs(5, 1, 1, 2, 1, 5));
    // pad 3 on a 2-wide input, 2 outputs of stride 1: tap 0 reads -3 and -2, padding only
    int[] none = WindowIndex.validOutputs(2, 1, 3, 0, 1, 2);
    assertEquals(none[0], none[1], "empty range");
  }

  /** The closed form must select exactly the outputs that testing each one with inside selects. */
  @Test
  void validOutputsMatchesTestingEachOutput() {
    long seed = 4242;
    Random rnd = new Random(seed);
    for (int i = 0; i < 2000; i++) {
      int size = 1 + rnd.nextInt(12);
      int outSize = 1 + rnd.nextInt(12);
      int stride = 1 + rnd.nextInt(4);
      int pad = rnd.nextInt(5);
      int t = rnd.nextInt(5);
      int dilation = 1 + rnd.nextInt(3);
      int[] range = WindowIndex.validOutputs(outSize, stride, pad, t, dilation, size);
      String context =
          String.format(
              "seed %d case %d: outSize=%d stride=%d pad=%d t=%d dilation=%d size=%d -> [%d, %d)",
              seed, i, outSize, stride, pad, t, dilation, size, range[0], range[1]);
      assertTrue(range[0] <= range[1], context);
      for (int o = 0; o < outSize; o++) {
        boolean real = WindowIndex.inside(WindowIndex.input(o, stride, pad, t, dilation), size);
        boolean inRange = o >= range[0] && o < range[1];
        assertEquals(real, inRange, context + " at o=" + o);
      }
    }
  }
}
