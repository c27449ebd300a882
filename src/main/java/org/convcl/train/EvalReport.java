package org.convcl.train;

import java.util.List;
import org.convcl.tensor.Require;

/**
 * The full evaluation of a classifier on a labelled set: the confusion matrix (row = true class,
 * column = predicted class), per-class precision and recall, top-k accuracy, and the mean loss.
 */
public final class EvalReport {
  private final List<String> classNames;
  private final long[][] confusion;
  private final long[] topK;
  private final double loss;
  private final double imagesPerSecond;
  private final long images;

  EvalReport(
      List<String> classNames,
      long[][] confusion,
      long[] topK,
      double loss,
      double imagesPerSecond) {
    this.classNames = List.copyOf(classNames);
    this.confusion = confusion;
    this.topK = topK;
    this.loss = loss;
    this.imagesPerSecond = imagesPerSecond;
    long n = 0;
    for (long[] row : confusion) {
      for (long v : row) {
        n += v;
      }
    }
    this.images = n;
  }

  /**
   * The class names, in the order of the matrix's rows and columns.
   *
   * @return an unmodifiable list
   */
  public List<String> classNames() {
    return classNames;
  }

  /**
   * How many images were evaluated.
   *
   * @return the count
   */
  public long images() {
    return images;
  }

  /**
   * The mean cross-entropy loss.
   *
   * @return the loss
   */
  public double loss() {
    return loss;
  }

  /**
   * The evaluation's throughput.
   *
   * @return images per second
   */
  public double imagesPerSecond() {
    return imagesPerSecond;
  }

  /**
   * How many images of class {@code actual} were predicted as {@code predicted}.
   *
   * @param actual the true class index
   * @param predicted the predicted class index
   * @return the count
   */
  public long count(int actual, int predicted) {
    return confusion[actual][predicted];
  }

  /**
   * The confusion matrix.
   *
   * @return a copy, {@code [actual][predicted]}
   */
  public long[][] confusion() {
    long[][] c = new long[confusion.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = confusion[i].clone();
    }
    return c;
  }

  /**
   * The fraction of images whose class is the most probable one.
   *
   * @return in [0, 1]
   */
  public double accuracy() {
    return topK(1);
  }

  /**
   * The fraction of images whose class is among the {@code k} most probable ones.
   *
   * @param k from 1 to {@link #maxK()}
   * @return in [0, 1]
   */
  public double topK(int k) {
    Require.that(k >= 1 && k <= topK.length, "k", k, "must be in [1, " + topK.length + "]");
    return (double) topK[k - 1] / images;
  }

  /**
   * The largest k {@link #topK} knows.
   *
   * @return at most the number of classes
   */
  public int maxK() {
    return topK.length;
  }

  /**
   * Of the images predicted as class {@code c}, the fraction that are {@code c}.
   *
   * @param c the class index
   * @return in [0, 1]; NaN when nothing was predicted as {@code c}
   */
  public double precision(int c) {
    long predicted = 0;
    for (long[] row : confusion) {
      predicted += row[c];
    }
    return predicted == 0 ? Double.NaN : (double) confusion[c][c] / predicted;
  }

  /**
   * Of the images of class {@code c}, the fraction predicted as {@code c}.
   *
   * @param c the class index
   * @return in [0, 1]; NaN when the set holds no image of {@code c}
   */
  public double recall(int c) {
    long actual = 0;
    for (long v : confusion[c]) {
      actual += v;
    }
    return actual == 0 ? Double.NaN : (double) confusion[c][c] / actual;
  }

  /**
   * How many images of class {@code c} the set holds.
   *
   * @param c the class index
   * @return the row sum of the matrix
   */
  public long support(int c) {
    long actual = 0;
    for (long v : confusion[c]) {
      actual += v;
    }
    return actual;
  }
}
