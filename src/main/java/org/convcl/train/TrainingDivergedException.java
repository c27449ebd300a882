package org.convcl.train;

/** The loss became NaN or infinite; the last good checkpoint on disk was left in place. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Says what diverged, where, and which checkpoint survives.
   *
   * @param message the explanation
   */
  public TrainingDivergedException(String message) {
    super(message);
  }
}
