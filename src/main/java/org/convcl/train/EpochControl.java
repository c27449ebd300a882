package org.convcl.train;

/**
 * What a run decides from its held-out metric after each epoch: whether the epoch is the best so
 * far (keep-best), whether to stop (early stopping with patience), and how far reduce-on-plateau
 * has cut the learning rate. A pure function of the metrics seen, so a resumed run replays its
 * metrics.csv and decides as an uninterrupted one would.
 */
final class EpochControl {
  private final Monitor monitor;
  private final int stopPatience;
  private final LrSchedule schedule;
  private double best = Double.NEGATIVE_INFINITY;
  private int bestEpoch;
  private int sinceBest;
  private int sincePlateauCut;
  private double lrScale = 1;

  /** What one epoch meant. */
  record Verdict(boolean improved, boolean stop) {}

  EpochControl(TrainConfig config) {
    this.monitor = config.monitor();
    this.stopPatience = config.earlyStoppingPatience();
    this.schedule = config.schedule();
  }

  /** Takes in one epoch's metrics. */
  Verdict observe(EpochMetrics m) {
    double score = monitor.score(m);
    boolean improved = score > best;
    if (improved) {
      best = score;
      bestEpoch = m.epoch();
      sinceBest = 0;
      sincePlateauCut = 0;
    } else {
      sinceBest++;
      sincePlateauCut++;
      if (schedule.kind() == LrSchedule.Kind.PLATEAU && sincePlateauCut >= schedule.every()) {
        lrScale *= schedule.gamma();
        sincePlateauCut = 0;
      }
    }
    return new Verdict(improved, stopPatience > 0 && sinceBest >= stopPatience);
  }

  /** The factor reduce-on-plateau has applied so far (1 for other schedules). */
  double lrScale() {
    return lrScale;
  }

  /** The best epoch so far (1-based; 0 before the first). */
  int bestEpoch() {
    return bestEpoch;
  }
}
