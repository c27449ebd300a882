package org.convcl.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.convcl.tensor.Require;
import org.convcl.tensor.Shape;

/**
 * Turns an image file (PNG, JPEG, anything ImageIO reads) into the bytes {@code [C][H][W]} a model
 * expects: scaled to H x W (bilinear), transparent parts composited on a background, then grey
 * ({@code C = 1}, luminance) or RGB ({@code C = 3}), optionally inverted.
 */
public final class ImageConvert {
  private ImageConvert() {}

  /**
   * Reads and converts an image file, compositing transparency on black.
   *
   * @param file the image
   * @param itemShape the model's input {@code C x H x W} (C = 1 or 3)
   * @return unsigned bytes {@code [C][H][W]}
   * @throws IOException when the file is missing or not an image (naming the file)
   */
  public static byte[] read(Path file, Shape itemShape) throws IOException {
    return read(file, itemShape, true, false);
  }

  /**
   * Reads and converts an image file.
   *
   * @param file the image
   * @param itemShape the model's input {@code C x H x W} (C = 1 or 3)
   * @param darkBackground whether the training images have a dark ground (MNIST) that transparent
   *     parts should become
   * @param invert whether to invert the picture (dark strokes on light ground for a model that
   *     learnt light on dark)
   * @return unsigned bytes {@code [C][H][W]}
   * @throws IOException when the file is missing or not an image (naming the file)
   */
  public static byte[] read(Path file, Shape itemShape, boolean darkBackground, boolean invert)
      throws IOException {
    return toBytes(image(file), itemShape, darkBackground, invert);
  }

  /**
   * Reads an image file as it is.
   *
   * @param file a PNG, JPEG, GIF or BMP file
   * @return the picture
   * @throws IOException when the file is missing, unreadable or not an image (naming the file)
   */
  public static BufferedImage image(Path file) throws IOException {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (javax.imageio.IIOException e) {
      throw new DataFileException(file, "unreadable image (" + e.getMessage() + ")", e);
    }
    if (img == null) {
      throw new DataFileException(file, "not an image ImageIO can read (PNG, JPEG, GIF, BMP)");
    }
    return img;
  }

  /**
   * Converts a picture, compositing transparency on black.
   *
   * @param img any picture
   * @param itemShape the model's input {@code C x H x W} (C = 1 or 3)
   * @return unsigned bytes {@code [C][H][W]}
   */
  public static byte[] toBytes(BufferedImage img, Shape itemShape) {
    return toBytes(img, itemShape, true, false);
  }

  /**
   * Converts a picture. Transparent parts show the training data's ground: black for {@code
   * darkBackground}, else white; with {@code invert} the picture is composited on the opposite
   * ground and then inverted, so that dark strokes on a transparent or light ground become light
   * strokes on the dark ground an MNIST model knows.
   *
   * @param img any picture
   * @param itemShape the model's input {@code C x H x W} (C = 1 or 3)
   * @param darkBackground whether the training images have a dark ground
   * @param invert whether to invert the picture after compositing
   * @return unsigned bytes {@code [C][H][W]}
   */
  public static byte[] toBytes(
      BufferedImage img, Shape itemShape, boolean darkBackground, boolean invert) {
    int c = itemShape.dim(0);
    int h = itemShape.dim(1);
    int w = itemShape.dim(2);
    Require.that(c == 1 || c == 3, "image channels", c, "must be 1 (grey) or 3 (RGB)");
    BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    g.setColor(darkBackground != invert ? java.awt.Color.BLACK : java.awt.Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, w, h, null);
    g.dispose();
    byte[] out = new byte[c * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = invert ? ~scaled.getRGB(x, y) : scaled.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int gr = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        int i = y * w + x;
        if (c == 1) {
          out[i] = (byte) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
        } else {
          out[i] = (byte) r;
          out[h * w + i] = (byte) gr;
          out[2 * h * w + i] = (byte) b;
        }
      }
    }
    return out;
  }
}
