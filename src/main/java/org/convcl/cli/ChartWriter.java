package org.convcl.cli;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.convcl.train.EpochMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG of a run's curves: a loss panel above an accuracy panel (each with the training and the
 * held-out curve), since one panel with two y axes made the accuracy unreadable next to a loss that
 * starts ten times higher. Rewritten while a run trains and when it ends ({@link ChartListener}),
 * so a run that stops early or diverges still leaves the chart of what it did.
 */
final class ChartWriter {
  static final String NAME = "curves.png";
  private static final int WIDTH = 900;
  private static final int PANEL_HEIGHT = 320;

  private ChartWriter() {}

  static Path write(Path runDir, List<EpochMetrics> history) throws IOException {
    XYChart loss =
        panel("Loss", "cross-entropy", history, EpochMetrics::trainLoss, EpochMetrics::testLoss);
    XYChart accuracy =
        panel(
            "Accuracy",
            "accuracy",
            history,
            EpochMetrics::trainAccuracy,
            EpochMetrics::testAccuracy);
    BufferedImage img = new BufferedImage(WIDTH, 2 * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.drawImage(BitmapEncoder.getBufferedImage(loss), 0, 0, null);
      g.drawImage(BitmapEncoder.getBufferedImage(accuracy), 0, PANEL_HEIGHT, null);
    } finally {
      g.dispose();
    }
    Path file = runDir.resolve(NAME);
    // Written aside and renamed, so a viewer refreshing the picture during training never reads
    // half a file.
    Path tmp = runDir.resolve(NAME + ".tmp");
    ImageIO.write(img, "png", tmp.toFile());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  private static XYChart panel(
      String title,
      String yTitle,
      List<EpochMetrics> history,
      ToDoubleFunction<EpochMetrics> train,
      ToDoubleFunction<EpochMetrics> heldOut) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(PANEL_HEIGHT)
            .title(title)
            .xAxisTitle("epoch")
            .yAxisTitle(yTitle)
            .build();
    double[] x = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
    add(chart, "train", x, history.stream().mapToDouble(train).toArray());
    add(chart, "held-out", x, history.stream().mapToDouble(heldOut).toArray());
    return chart;
  }

  private static void add(XYChart chart, String name, double[] x, double[] y) {
    chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
  }
}
