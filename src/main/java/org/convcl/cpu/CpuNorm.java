package org.convcl.cpu;

import org.convcl.ops.BatchNormConfig;

/**
 * Batch normalisation over {@code [N][C][S]} data (S = H*W, or 1 for {@code [N][C]}), per channel
 * c, with M = N*S values per channel. Sums run in double.
 */
final class CpuNorm {
  private CpuNorm() {}

  /** The data layout: N, C and S (spatial size per channel). */
  record Dims(int n, int c, int s) {
    int index(int nn, int cc, int i) {
      return (nn * c + cc) * s + i;
    }
  }

  static void forward(
      Parallel par,
      float[] x,
      float[] gamma,
      float[] beta,
      float[] runningMean,
      float[] runningVar,
      float[] y,
      float[] saveMean,
      float[] saveInvStd,
      BatchNormConfig cfg,
      boolean training,
      Dims d) {
    int m = d.n() * d.s();
    par.forEach(
        d.c(),
        m,
        c -> {
          double mean;
          double var;
          if (training) {
            double sum = 0;
            for (int n = 0; n < d.n(); n++) {
              for (int i = 0; i < d.s(); i++) {
                sum += x[d.index(n, c, i)];
              }
            }
            mean = sum / m;
            double sq = 0;
            for (int n = 0; n < d.n(); n++) {
              for (int i = 0; i < d.s(); i++) {
                double dev = x[d.index(n, c, i)] - mean;
                sq += dev * dev;
              }
            }
            var = sq / m;
            saveMean[c] = (float) mean;
            saveInvStd[c] = (float) (1.0 / Math.sqrt(var + cfg.epsilon()));
            double mom = cfg.momentum();
            runningMean[c] = (float) ((1 - mom) * runningMean[c] + mom * mean);
            runningVar[c] = (float) ((1 - mom) * runningVar[c] + mom * sq / (m - 1));
          } else {
            mean = runningMean[c];
            var = runningVar[c];
          }
          double invStd = 1.0 / Math.sqrt(var + cfg.epsilon());
          for (int n = 0; n < d.n(); n++) {
            for (int i = 0; i < d.s(); i++) {
              int at = d.index(n, c, i);
              y[at] = (float) (gamma[c] * (x[at] - mean) * invStd + beta[c]);
            }
          }
        });
  }

  static void backward(
      Parallel par,
      float[] x,
      float[] dy,
      float[] gamma,
      float[] saveMean,
      float[] saveInvStd,
      float[] dx,
      float[] dGamma,
      float[] dBeta,
      Dims d) {
    int m = d.n() * d.s();
    par.forEach(
        d.c(),
        m,
        c -> {
          double mean = saveMean[c];
          double invStd = saveInvStd[c];
          double sumDy = 0;
          double sumDyXhat = 0;
          for (int n = 0; n < d.n(); n++) {
            for (int i = 0; i < d.s(); i++) {
              int at = d.index(n, c, i);
              sumDy += dy[at];
              sumDyXhat += dy[at] * (x[at] - mean) * invStd;
            }
          }
          dBeta[c] = (float) sumDy;
          dGamma[c] = (float) sumDyXhat;
          double scale = gamma[c] * invStd / m;
          for (int n = 0; n < d.n(); n++) {
            for (int i = 0; i < d.s(); i++) {
              int at = d.index(n, c, i);
              double xhat = (x[at] - mean) * invStd;
              dx[at] = (float) (scale * (m * dy[at] - sumDy - xhat * sumDyXhat));
            }
          }
        });
  }
}
