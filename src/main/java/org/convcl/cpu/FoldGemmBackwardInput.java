package org.convcl.cpu;

import java.util.Arrays;
import java.util.List;
import org.convcl.tensor.ConvGeometry;

/**
 * Any convolution's input gradient as {@code dcol = W^T * gradOutput} per (image, group), folded
 * back onto the input ("col2im", {@link Im2colWalk#scatterAdd}): each input cell receives the dcol
 * entries of the windows that read it, which is the full convolution of gradOutput with the rotated
 * filter without visiting the zeros a stride spreads (docs/math.md). dcol is computed a block of
 * windows at a time into the worker's scratch, so only {@code taps x foldColumns} floats exist at
 * once. Cells no window reads get exactly 0.
 */
class FoldGemmBackwardInput extends CpuConvLowering {
  FoldGemmBackwardInput(CpuGemm gemm) {
    super(gemm);
  }

  @Override
  public String name() {
    return "gemm-fold";
  }

  @Override
  public ConvPass pass() {
    return ConvPass.BACKWARD_INPUT;
  }

  @Override
  public boolean applies(ConvGeometry g) {
    return true;
  }

  /**
   * Windows per dcol block: the block ({@code taps x cols} floats) gets the budget of the GEMM's A
   * block ({@code mc x kc}, half of L2), a multiple of the register tile's width.
   */
  int foldColumns(int taps) {
    GemmBlocking b = gemm.blocking;
    int cols = b.mc() * b.kc() / taps / b.nr() * b.nr();
    return Math.max(b.nr(), Math.min(8192, cols));
  }

  @Override
  public List<Tunable> tunables() {
    GemmBlocking b = gemm.blocking;
    return List.of(
        b.tunables().get(0),
        b.tunables().get(1),
        new Tunable("foldColumns", foldColumns(64), b.nr(), 8192));
  }

  @Override
  void run(float[] gradOutput, float[] weights, float[] unused, float[] gradInput, ConvGeometry g) {
    int taps = taps(g);
    int windows = windows(g);
    int cols = Math.min(foldColumns(taps), windows);
    int planesSize = g.channelsPerGroup() * g.h() * g.w();
    TapTable tapTable = gemm.taps(g);
    Sgemm.PackedA[] packed = packWeights(weights, g);
    gemm.parallel.forEachWorker(
        g.n() * g.groups(),
        (long) taps * windows * g.filtersPerGroup(),
        (task, worker) -> {
          int image = task / g.groups();
          int group = task % g.groups();
          int planes = GemmConvForward.groupPlanes(image, group, g);
          Arrays.fill(gradInput, planes, planes + planesSize, 0f);
          float[] tile = gemm.scratch(worker).aux(taps * cols);
          for (int p0 = 0; p0 < windows; p0 += cols) {
            int width = Math.min(cols, windows - p0);
            dcol(worker, packed[group], gradOutput, image, group, g, p0, width, tile);
            for (int j = 0; j < taps; j++) {
              Im2colWalk.scatterAdd(
                  g, tapTable, gradInput, planes, j, p0, width, tile, j * width, 1);
            }
          }
        });
  }

  /** {@code A(tap j, filter k) = w[k][j]} (W transposed) of every group, packed once per call. */
  Sgemm.PackedA[] packWeights(float[] weights, ConvGeometry g) {
    int taps = taps(g);
    int kg = g.filtersPerGroup();
    Sgemm.PackedA[] packed = new Sgemm.PackedA[g.groups()];
    for (int group = 0; group < g.groups(); group++) {
      KPanel a = new DenseKPanel(weights, group * kg * taps, taps, 1);
      packed[group] = gemm.prepack(a, taps, kg, g.groups(), group);
    }
    return packed;
  }

  /**
   * {@code tile[j*width + (p - p0)] = dcol[j][p]} of (image, group) for windows {@code p in [p0, p0
   * + width)}: {@code W^T * gradOutput} on this worker.
   */
  void dcol(
      int worker,
      Sgemm.PackedA a,
      float[] gradOutput,
      int image,
      int group,
      ConvGeometry g,
      int p0,
      int width,
      float[] tile) {
    int taps = taps(g);
    int windows = windows(g);
    int kg = g.filtersPerGroup();
    KPanel b = new DenseKPanel(gradOutput, (image * g.k() + group * kg) * windows, windows, 1);
    Arrays.fill(tile, 0, taps * width, 0f);
    gemm.block(worker, a, b, 0, taps, p0, p0 + width, kg, tile, 0, width);
  }
}
