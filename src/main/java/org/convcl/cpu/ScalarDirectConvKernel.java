package org.convcl.cpu;

/**
 * The {@link DirectConvKernel} without jdk.incubator.vector: the definition's loops written out,
 * one window lane at a time, so a JVM without the module computes the same bits.
 */
final class ScalarDirectConvKernel implements DirectConvKernel {
  @Override
  public boolean vectorized() {
    return false;
  }

  @Override
  public void forward(
      DirectConvPlan p,
      float[] x,
      int xBase,
      float[] w,
      int wOff,
      float[] bias,
      int k0,
      float[] out,
      int outBase,
      int filters,
      float[] tmp) {
    int[] tapIn = p.tapIn();
    for (int s = 0; s < p.slots(); s++) {
      int in = xBase + p.slotIn()[s];
      for (int i = 0; i < filters; i++) {
        int o = outBase + i * p.windows() + p.slotOut()[s];
        for (int l = 0; l < p.slotLanes()[s]; l++) {
          float acc = bias == null ? 0f : bias[k0 + i];
          for (int t = 0; t < p.taps(); t++) {
            acc = Math.fma(w[wOff + t * FILTERS + i], x[in + tapIn[t] + l], acc);
          }
          out[o + l] = acc;
        }
      }
    }
  }

  @Override
  public void filterGradient(
      DirectConvPlan p,
      float[] x,
      int xBase,
      int xImage,
      float[] dy,
      int dyBase,
      int dyImage,
      int images,
      float[] out,
      int outOff,
      int filters,
      float[] tmp) {
    for (int i = 0; i < filters; i++) {
      for (int j = 0; j < p.taps(); j++) {
        java.util.Arrays.fill(tmp, 0, LANES, 0f);
        for (int m = 0; m < images; m++) {
          int in = xBase + m * xImage + p.tapIn()[j];
          int d = dyBase + m * dyImage + i * p.dyPlane();
          for (int s = 0; s < p.slots(); s++) {
            int xs = in + p.slotIn()[s];
            int ds = d + s * LANES;
            for (int l = 0; l < p.slotLanes()[s]; l++) {
              tmp[l] = Math.fma(dy[ds + l], x[xs + l], tmp[l]);
            }
          }
        }
        out[outOff + i * p.taps() + j] = laneSum(tmp);
      }
    }
  }

  @Override
  public void fold(
      DirectConvPlan p,
      float[] dcol,
      int dOff,
      int ld,
      int p0,
      int s0,
      int s1,
      float[] dx,
      int xBase) {
    for (int j : p.foldOrder()) {
      int in = xBase + p.tapIn()[j];
      int d = dOff + j * ld - p0;
      for (int s = s0; s < s1; s++) {
        int xi = in + p.slotIn()[s];
        int di = d + p.slotOut()[s];
        for (int l = 0; l < p.slotLanes()[s]; l++) {
          dx[xi + l] += dcol[di + l];
        }
      }
    }
  }

  @Override
  public void gatherGradient(
      float[] x,
      int[] xo,
      float[] g,
      int count,
      int vectorCount,
      int[] rowOff,
      int rowAt,
      int rows,
      int width,
      float[] out,
      int outOff,
      float[] tmp) {
    java.util.Arrays.fill(out, outOff, outOff + rows * width, 0f);
    gatherCells(x, xo, g, 0, count, rowOff, rowAt, rows, width, out, outOff);
  }

  /**
   * {@link #gatherGradient} lane by lane for cells {@code [from, to)}: each entry's chain goes on
   * from its value in {@code out}. Also the SIMD kernel's cells whose vector loads would pass the
   * end of x.
   */
  static void gatherCells(
      float[] x,
      int[] xo,
      float[] g,
      int from,
      int to,
      int[] rowOff,
      int rowAt,
      int rows,
      int width,
      float[] out,
      int outOff) {
    for (int i = 0; i < rows; i++) {
      int row = rowOff[rowAt + i];
      for (int s = 0; s < width; s++) {
        int o = outOff + i * width + s;
        float acc = out[o];
        for (int q = from; q < to; q++) {
          acc = Math.fma(g[q], x[xo[q] + row + s], acc);
        }
        out[o] = acc;
      }
    }
  }

  /** The partials added in lane order, as the definition says. */
  static float laneSum(float[] partials) {
    float sum = partials[0];
    for (int l = 1; l < LANES; l++) {
      sum += partials[l];
    }
    return sum;
  }
}
