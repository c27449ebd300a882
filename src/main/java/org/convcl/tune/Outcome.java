package org.convcl.tune;

import java.util.List;
import org.convcl.impl.Choice;

/**
 * What the tuner found for one job: the choice before (what the backend would have run) and the
 * winner, with their median times; how many candidates were timed, rejected as wrong, failed to
 * build or run, or were left out by the budget.
 *
 * @param rejected one line per candidate whose output disagreed with the reference
 */
public record Outcome(
    TuneJob job,
    Choice before,
    double beforeMs,
    Choice winner,
    double winnerMs,
    int timed,
    List<String> rejected,
    int failed,
    int overBudget) {

  /** How many times faster the winner is than the choice before (1 when it is the same). */
  public double speedup() {
    return winnerMs > 0 ? beforeMs / winnerMs : 1;
  }

  /** GFLOP/s of the winner. */
  public double winnerGflops() {
    return job.geometry().flops() / (winnerMs * 1e6);
  }
}
