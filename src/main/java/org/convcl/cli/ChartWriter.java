package org.convcl.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.convcl.train.EpochMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG of the loss (left axis) and accuracy (right axis) curves of a run. */
final class ChartWriter {
  static final String NAME = "curves.png";

  private ChartWriter() {}

  static Path write(Path runDir, List<EpochMetrics> history) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(500)
            .title("Training curves")
            .xAxisTitle("epoch")
            .build();
    double[] x = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
    add(chart, "train loss", x, history.stream().mapToDouble(EpochMetrics::trainLoss).toArray(), 0);
    add(chart, "test loss", x, history.stream().mapToDouble(EpochMetrics::testLoss).toArray(), 0);
    add(
        chart,
        "train accuracy",
        x,
        history.stream().mapToDouble(EpochMetrics::trainAccuracy).toArray(),
        1);
    add(
        chart,
        "test accuracy",
        x,
        history.stream().mapToDouble(EpochMetrics::testAccuracy).toArray(),
        1);
    chart.setYAxisGroupTitle(0, "loss");
    chart.setYAxisGroupTitle(1, "accuracy");
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    Path file = runDir.resolve(NAME);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return file;
  }

  private static void add(XYChart chart, String name, double[] x, double[] y, int axis) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setYAxisGroup(axis);
    s.setMarker(SeriesMarkers.CIRCLE);
  }
}
