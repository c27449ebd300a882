package org.convcl.cpu;

import java.util.List;
import org.convcl.tensor.ConvGeometry;

/**
 * The CPU backend's convolution lowerings and the one place where one is chosen per (pass,
 * geometry) when no choice table says otherwise: {@link #choose}, a fixed preference (the
 * specialised lowering where it applies, else the general one). CpuOps registers them as
 * implementations ({@link #implementations}) in this order, so the registry's fallback is this
 * preference and a tuned table can replace it per shape.
 */
public final class CpuConvPlanner {
  private final List<CpuConvLowering> lowerings;

  CpuConvPlanner(CpuGemm gemm) {
    RowKernels rows = RowKernels.best();
    this.lowerings =
        List.of(
            new DenseForward(gemm),
            new PointwiseGemmForward(gemm),
            new Im2colGemmForward(gemm),
            new DirectForward(gemm),
            new DenseBackwardInput(gemm),
            new PointwiseGemmBackwardInput(gemm),
            new FoldGemmBackwardInput(gemm),
            new DirectFoldBackwardInput(gemm),
            new BatchedFoldBackwardInput(gemm),
            new DenseBackwardFilter(gemm),
            new PointwiseGemmBackwardFilter(gemm),
            new Im2colGemmBackwardFilter(gemm),
            new DirectBackwardFilter(gemm),
            // Registered last, so the fallback stays the GEMM; cpu.json chooses it where measured.
            new DepthwiseForward(gemm, rows),
            new DepthwiseBackwardInput(gemm, rows),
            new DepthwiseBackwardFilter(gemm, rows));
  }

  /** The lowerings as registered implementations, in the same order. */
  List<org.convcl.impl.Implementation<CpuOps>> implementations() {
    return lowerings.stream()
        .map(l -> (org.convcl.impl.Implementation<CpuOps>) new CpuImplementation(l))
        .toList();
  }

  /** Every lowering, in order of preference within each pass. */
  public List<ConvLowering> lowerings() {
    return List.copyOf(lowerings);
  }

  /** The lowering that computes {@code pass} for {@code g}: the first that applies. */
  CpuConvLowering choose(ConvPass pass, ConvGeometry g) {
    for (CpuConvLowering l : lowerings) {
      if (l.pass() == pass && l.applies(g)) {
        return l;
      }
    }
    throw new IllegalStateException("no CPU lowering of " + pass + " for " + g);
  }

  /** The lowerings of {@code pass} that apply to {@code g} (tests run every one of them). */
  List<CpuConvLowering> applicable(ConvPass pass, ConvGeometry g) {
    return lowerings.stream().filter(l -> l.pass() == pass && l.applies(g)).toList();
  }
}
