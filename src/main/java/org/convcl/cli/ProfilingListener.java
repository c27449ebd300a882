package org.convcl.cli;

import java.io.PrintStream;
import org.convcl.bench.StepProfiler;
import org.convcl.nn.Sequential;
import org.convcl.train.EpochMetrics;
import org.convcl.train.TrainListener;

/**
 * {@code train --profile}: profiles the run's first steps per layer ({@link StepProfiler}, the
 * first {@link #WARMUP} steps not counted), prints the table once {@link #STEPS} steps or the first
 * epoch are done, then detaches so the rest of the run is not slowed. Passes every event on.
 */
final class ProfilingListener implements TrainListener {
  static final int WARMUP = 3;
  static final int STEPS = 30;

  private final Sequential model;
  private final TrainListener next;
  private final PrintStream out;
  private StepProfiler profiler;
  private int stepsPerEpoch;
  private int seen;

  ProfilingListener(Sequential model, int batch, TrainListener next, PrintStream out) {
    this.model = model;
    this.next = next;
    this.out = out;
    this.profiler = new StepProfiler(model, batch, WARMUP);
    model.probe(profiler);
  }

  @Override
  public void epochStarted(int epoch, int stepsPerEpoch, int batchSize) {
    this.stepsPerEpoch = stepsPerEpoch;
    next.epochStarted(epoch, stepsPerEpoch, batchSize);
  }

  @Override
  public void stepDone(int epoch, int step, double loss) {
    if (profiler != null) {
      profiler.stepDone();
      seen++;
      if (seen == WARMUP + STEPS || seen == stepsPerEpoch) {
        model.probe(null);
        out.print("profile of the first steps (" + profiler.report().steps() + " counted):\n");
        out.print(profiler.report().format());
        profiler = null;
      }
    }
    next.stepDone(epoch, step, loss);
  }

  @Override
  public void epochDone(EpochMetrics metrics) {
    next.epochDone(metrics);
  }
}
