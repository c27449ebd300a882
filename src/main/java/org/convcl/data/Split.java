package org.convcl.data;

import org.convcl.tensor.Require;

/**
 * A training set and the held-out set it is evaluated on; both number their classes the same way,
 * since a label means nothing without its class list.
 *
 * @param train the training set
 * @param test the held-out set
 */
public record Split(Dataset train, Dataset test) {
  /**
   * Checks that both parts number the same classes.
   *
   * @param train the training set
   * @param test the held-out set (a validation split or the test set)
   */
  public Split {
    Require.that(
        train.classNames().equals(test.classNames()),
        "test classes",
        test.classNames(),
        "must equal the training classes " + train.classNames());
  }
}
