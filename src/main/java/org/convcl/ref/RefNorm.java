package org.convcl.ref;

import org.convcl.ops.BatchNormConfig;

/**
 * Batch normalisation over {@code [N][C][S]} data (S = H*W, or 1 for {@code [N][C]}) per channel c,
 * with M = N*S values per channel, in double.
 */
public final class RefNorm {
  private RefNorm() {}

  /** The training forward pass: the output and the batch statistics saved for the backward pass. */
  public record Normalized(double[] output, double[] mean, double[] invStd) {}

  /** The three gradients of the backward pass. */
  public record Gradients(double[] gradInput, double[] gradGamma, double[] gradBeta) {}

  /**
   * Training: normalises by the batch mean and biased variance, {@code y = gamma (x - mean) /
   * sqrt(var + eps) + beta}, and moves the running statistics in place by momentum: {@code running
   * = (1 - momentum) running + momentum batch}, the running variance with the unbiased {@code
   * M/(M-1)} variance (as PyTorch).
   */
  public static Normalized trainingForward(
      double[] x,
      double[] gamma,
      double[] beta,
      double[] runningMean,
      double[] runningVar,
      BatchNormConfig cfg,
      int n) {
    int c = gamma.length;
    int s = x.length / (n * c);
    int m = n * s;
    double[] mean = new double[c];
    double[] invStd = new double[c];
    for (int ch = 0; ch < c; ch++) {
      double sum = 0;
      for (int i = 0; i < m; i++) {
        sum += x[at(i, ch, c, s)];
      }
      mean[ch] = sum / m;
      double sq = 0;
      for (int i = 0; i < m; i++) {
        double d = x[at(i, ch, c, s)] - mean[ch];
        sq += d * d;
      }
      invStd[ch] = 1 / Math.sqrt(sq / m + cfg.epsilon());
      double mom = cfg.momentum();
      runningMean[ch] = (1 - mom) * runningMean[ch] + mom * mean[ch];
      runningVar[ch] = (1 - mom) * runningVar[ch] + mom * sq / (m - 1);
    }
    return new Normalized(normalize(x, gamma, beta, mean, invStd, n), mean, invStd);
  }

  /** Inference: {@code y = gamma (x - runningMean) / sqrt(runningVar + eps) + beta}. */
  public static double[] inferenceForward(
      double[] x,
      double[] gamma,
      double[] beta,
      double[] runningMean,
      double[] runningVar,
      BatchNormConfig cfg,
      int n) {
    double[] invStd = new double[gamma.length];
    for (int ch = 0; ch < invStd.length; ch++) {
      invStd[ch] = 1 / Math.sqrt(runningVar[ch] + cfg.epsilon());
    }
    return normalize(x, gamma, beta, runningMean, invStd, n);
  }

  private static double[] normalize(
      double[] x, double[] gamma, double[] beta, double[] mean, double[] invStd, int n) {
    int c = gamma.length;
    int s = x.length / (n * c);
    double[] y = new double[x.length];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < n * s; i++) {
        int a = at(i, ch, c, s);
        y[a] = gamma[ch] * (x[a] - mean[ch]) * invStd[ch] + beta[ch];
      }
    }
    return y;
  }

  /**
   * With {@code xhat = (x - mean) invStd}: {@code gradBeta = sum dy}, {@code gradGamma = sum dy
   * xhat}, {@code gradInput = gamma invStd / M (M dy - gradBeta - xhat gradGamma)}.
   */
  public static Gradients backward(
      double[] x, double[] dy, double[] gamma, double[] mean, double[] invStd, int n) {
    int c = gamma.length;
    int s = x.length / (n * c);
    int m = n * s;
    double[] dx = new double[x.length];
    double[] dGamma = new double[c];
    double[] dBeta = new double[c];
    for (int ch = 0; ch < c; ch++) {
      for (int i = 0; i < m; i++) {
        int a = at(i, ch, c, s);
        dBeta[ch] += dy[a];
        dGamma[ch] += dy[a] * (x[a] - mean[ch]) * invStd[ch];
      }
      for (int i = 0; i < m; i++) {
        int a = at(i, ch, c, s);
        double xhat = (x[a] - mean[ch]) * invStd[ch];
        dx[a] = gamma[ch] * invStd[ch] / m * (m * dy[a] - dBeta[ch] - xhat * dGamma[ch]);
      }
    }
    return new Gradients(dx, dGamma, dBeta);
  }

  /** The flat index of the i-th of channel ch's M values ({@code i = n*S + spatial}). */
  private static int at(int i, int ch, int c, int s) {
    return ((i / s) * c + ch) * s + i % s;
  }
}
