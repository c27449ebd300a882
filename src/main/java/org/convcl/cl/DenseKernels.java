package org.convcl.cl;

import org.convcl.impl.ConvCall;
import org.convcl.impl.Settings;
import org.convcl.impl.Tunable;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.Shape;
import org.convcl.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dense layer's three products as pointwise convolutions ({@code N x F x 1 x 1 -> O}, 1x1
 * kernel), so they are registered, chosen and tuned like every convolution pass; and the launchers
 * of opencl/dense.cl's GEMMs, {@code out(m, j) = sum_t A(m, t) B(t, j)} with {@code A(m, t) =
 * a[m*aRow + t*aCol]}, {@code B(t, j) = b[t*bRow + j*bCol]}, for such convolutions.
 */
final class DenseKernels {
  private static final Logger LOG = LoggerFactory.getLogger(DenseKernels.class);

  /** Work-group side of the tiled GEMM: GEMM_TILE x GEMM_TILE work-items and local tiles. */
  static final Tunable TILE = Tunable.of("GEMM_TILE", 16, 4, 8, 16);

  private DenseKernels() {}

  /** The pointwise convolution that is the dense layer {@code [N][F] -> [N][O]}. */
  static ConvGeometry geometry(int n, int f, int o, boolean bias) {
    return ConvGeometry.of(n, f, 1, 1, o, ConvParams.of(1).withBias(bias));
  }

  /** {@code t} seen as {@code [rows][cols][1][1]}. */
  static Tensor pointwise(ClOps ops, Tensor t) {
    Shape s = t.shape();
    return ops.cl(t).view(Shape.of(s.dim(0), s.dim(1), 1, 1));
  }

  /** Why the GEMM cannot run {@code g}: it handles pointwise shapes only. */
  static String whyNot(ClDeviceInfo device, ConvGeometry g, Settings s) {
    return org.convcl.impl.ShapeKey.isPointwise(g)
        ? null
        : "dense_gemm handles pointwise (dense-layer) shapes only";
  }

  /** Rows of out per work-item of dense_gemm_v2. */
  static final Tunable ROWS = Tunable.of("GEMM_RM", 4, 1, 2, 4, 8);

  /** Columns of out per work-item of dense_gemm_v2. */
  static final Tunable COLUMNS = Tunable.of("GEMM_RN", 4, 1, 2, 4, 8);

  /**
   * One pass as {@code out(m, j) = bias + sum_t A(m, t) B(t, j)}: forward {@code out[N][K] =
   * input[N][C] weights[K][C]^T + bias}, input gradient {@code gradInput[N][C] = gradOutput[N][K]
   * weights[K][C]}, weight gradient {@code gradWeights[K][C] = gradOutput[N][K]^T input[N][C]}.
   */
  private record Product(
      Tensor a,
      int aRow,
      int aCol,
      Tensor b,
      int bRow,
      int bCol,
      Tensor bias,
      Tensor out,
      int rows,
      int cols,
      int inner) {

    static Product of(ConvCall c) {
      ConvGeometry g = c.geometry();
      int n = g.n();
      int f = g.c();
      int o = g.k();
      return switch (c.pass()) {
        case CONV_FORWARD ->
            new Product(c.first(), f, 1, c.second(), 1, f, c.bias(), c.out(), n, o, f);
        case CONV_BACKWARD_INPUT ->
            new Product(c.first(), o, 1, c.second(), f, 1, null, c.out(), n, f, o);
        case CONV_BACKWARD_FILTER ->
            new Product(c.second(), 1, o, c.first(), f, 1, null, c.out(), o, f, n);
      };
    }

    void args(ClOps ops, Launch l) {
      l.args().tensor(ops.cl(a)).i(aRow).i(aCol).tensor(ops.cl(b)).i(bRow).i(bCol);
      l.args().mem(bias == null ? ops.dummy() : ops.cl(bias).buffer()).bool(bias != null);
      l.args().tensor(ops.cl(out)).i(rows).i(cols).i(inner);
    }

    String what(ConvCall c) {
      return "dense " + c.pass() + " rows " + rows + " cols " + cols + " inner " + inner;
    }
  }

  /** dense_gemm_v1: GEMM_TILE x GEMM_TILE work-groups staging tiles in local memory. */
  static void tiled(ClOps ops, Launch launch, ConvCall c, Settings s) {
    Product p = Product.of(c);
    Launch l = launch;
    long tile = s.get(TILE);
    // The compiled kernel may accept fewer work-items than the device (registers, local memory):
    // then the largest tile that fits, rebuilt.
    while (tile * tile > l.maxGroup() && tile > 1) {
      tile /= 2;
      LOG.debug("dense_gemm_v1: GEMM_TILE {} does not fit, trying {}", tile * 2, tile);
      l =
          ops.launch(
              "dense.cl",
              "-DGEMM_TILE=" + tile,
              "dense_gemm_v1",
              "dense_gemm_v1 GEMM_TILE=" + tile);
    }
    p.args(ops, l);
    long[] global = {Launch.roundUp(p.cols(), tile), Launch.roundUp(p.rows(), tile)};
    l.run(global, new long[] {tile, tile}, () -> p.what(c));
  }

  /** dense_gemm_v2: GEMM_RM x GEMM_RN outputs per work-item, WG work-items per group. */
  static void blocked(ClOps ops, Launch l, ConvCall c, Settings s) {
    Product p = Product.of(c);
    p.args(ops, l);
    long wg = Math.min(s.get(ClConvKernel.WORK_GROUP), l.maxGroup());
    long colBlocks = (p.cols() + s.get(COLUMNS) - 1) / s.get(COLUMNS);
    long rowBlocks = (p.rows() + s.get(ROWS) - 1) / s.get(ROWS);
    l.run(
        new long[] {Launch.roundUp(colBlocks, wg), rowBlocks}, new long[] {wg, 1}, () -> p.what(c));
  }
}
