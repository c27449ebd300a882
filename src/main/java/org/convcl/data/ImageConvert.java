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
 * expects: scaled to H x W (bilinear), then grey ({@code C = 1}, luminance) or RGB ({@code C = 3}).
 */
public final class ImageConvert {
  private ImageConvert() {}

  public static byte[] read(Path file, Shape itemShape) throws IOException {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (javax.imageio.IIOException e) {
      throw new DataFileException(file, "unreadable image (" + e.getMessage() + ")", e);
    }
    if (img == null) {
      throw new DataFileException(file, "not an image ImageIO can read (PNG, JPEG, GIF, BMP)");
    }
    return toBytes(img, itemShape);
  }

  public static byte[] toBytes(BufferedImage img, Shape itemShape) {
    int c = itemShape.dim(0);
    int h = itemShape.dim(1);
    int w = itemShape.dim(2);
    Require.that(c == 1 || c == 3, "image channels", c, "must be 1 (grey) or 3 (RGB)");
    BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, w, h, null);
    g.dispose();
    byte[] out = new byte[c * h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = scaled.getRGB(x, y);
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
