package org.convcl.train;

/**
 * The held-out metric that keep-best, early stopping and reduce-on-plateau watch: the loss or the
 * accuracy on the set a run evaluates after every epoch (the validation split when there is one).
 */
public enum Monitor {
  /** Mean cross-entropy on the held-out set; lower is better. */
  LOSS,
  /** Accuracy on the held-out set; higher is better. */
  ACCURACY;

  /**
   * This metric's value in {@code m}, signed so that larger is always better.
   *
   * @param m one epoch's metrics
   * @return the accuracy, or the negated loss
   */
  public double score(EpochMetrics m) {
    return this == ACCURACY ? m.testAccuracy() : -m.testLoss();
  }
}
