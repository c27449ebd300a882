package org.convcl.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.convcl.train.EvalReport;

/**
 * The confusion matrix as a PNG heat map: row = true class, column = predicted class, each cell
 * shaded by the fraction of its row (so a class with few images is as readable as a big one) and
 * labelled with its count.
 */
final class ConfusionPng {
  private static final int CELL = 44;
  private static final int MARGIN = 90;

  private ConfusionPng() {}

  static void write(EvalReport r, String title, Path file) throws IOException {
    int k = r.classNames().size();
    int size = MARGIN + k * CELL + 20;
    BufferedImage img = new BufferedImage(size, size + 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.BLACK);
      g.drawString(title, 10, 18);
      g.drawString("predicted", MARGIN + k * CELL / 2 - 25, 44);
      g.drawString("true", 10, MARGIN + k * CELL / 2);
      List<String> names = r.classNames();
      for (int a = 0; a < k; a++) {
        long support = Math.max(1, r.support(a));
        for (int p = 0; p < k; p++) {
          long n = r.count(a, p);
          float f = (float) n / support;
          int x = MARGIN + p * CELL;
          int y = MARGIN + a * CELL;
          // White (0) to dark blue (the whole row); text turns white on dark cells.
          g.setColor(new Color(1 - 0.85f * f, 1 - 0.7f * f, 1 - 0.25f * f));
          g.fillRect(x, y, CELL, CELL);
          g.setColor(Color.LIGHT_GRAY);
          g.drawRect(x, y, CELL, CELL);
          g.setColor(f > 0.5f ? Color.WHITE : Color.BLACK);
          centred(g, Long.toString(n), x, y);
        }
        g.setColor(Color.BLACK);
        centred(g, clip(names.get(a)), MARGIN - CELL - 4, MARGIN + a * CELL);
        centred(g, clip(names.get(a)), MARGIN + a * CELL, MARGIN - CELL + 4);
      }
    } finally {
      g.dispose();
    }
    ImageIO.write(img, "png", file.toFile());
  }

  private static String clip(String name) {
    return name.length() > 7 ? name.substring(0, 6) + "…" : name;
  }

  private static void centred(Graphics2D g, String s, int x, int y) {
    FontMetrics m = g.getFontMetrics();
    g.drawString(s, x + (CELL - m.stringWidth(s)) / 2, y + (CELL + m.getAscent()) / 2 - 2);
  }
}
