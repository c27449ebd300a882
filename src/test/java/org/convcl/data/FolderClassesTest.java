package org.convcl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.convcl.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Train and test folders must number their classes the same way. */
class FolderClassesTest {
  @TempDir Path dir;

  private static final Shape ITEM = Shape.of(1, 4, 4);

  private void folder(String part, String... classes) throws IOException {
    for (String c : classes) {
      Path d = Files.createDirectories(dir.resolve(part).resolve(c));
      ImageIO.write(
          new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY),
          "png",
          d.resolve("0.png").toFile());
    }
  }

  @Test
  void testFolderMissingAClassKeepsTheTrainingLabels() throws IOException {
    folder("train", "a", "b", "c");
    folder("test", "b", "c");
    Split s = DataSources.load("folder:" + dir, ITEM);
    assertEquals(List.of("a", "b", "c"), s.test().classNames());
    // b and c are classes 1 and 2 in training, so they must be 1 and 2 in the test set too.
    assertArrayEquals(new int[] {1, 2}, s.test().labels());
  }

  @Test
  void testFolderWithAnExtraClassFailsNamingFolderAndClass() throws IOException {
    folder("train", "a", "b");
    folder("test", "a", "z");
    DataFileException e =
        assertThrows(DataFileException.class, () -> DataSources.load("folder:" + dir, ITEM));
    assertTrue(e.getMessage().contains("test"), e.getMessage());
    assertTrue(e.getMessage().contains("class z"), e.getMessage());
  }

  @Test
  void splitRefusesDifferentClassLists() throws IOException {
    folder("train", "a", "b");
    Dataset ab = ImageFolder.load(dir.resolve("train"), ITEM);
    Dataset ba = ImageFolder.load(dir.resolve("train"), ITEM, List.of("b", "a"));
    assertArrayEquals(new int[] {1, 0}, ba.labels());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Split(ab, ba));
    assertTrue(e.getMessage().contains("[b, a]"), e.getMessage());
  }
}
