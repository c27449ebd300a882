package org.convcl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.convcl.train.EpochMetrics;
import org.convcl.train.MetricsCsv;
import org.convcl.train.TrainListener;

/**
 * Redraws {@code curves.png} from {@code metrics.csv} after every epoch, so the chart is current
 * while a run trains and after it stops early or diverges.
 */
record ChartListener(Path runDir) implements TrainListener {
  @Override
  public void epochDone(EpochMetrics metrics) {
    try {
      ChartWriter.write(runDir, MetricsCsv.read(runDir));
    } catch (IOException e) {
      throw new UncheckedIOException("could not draw " + runDir.resolve(ChartWriter.NAME), e);
    }
  }
}
