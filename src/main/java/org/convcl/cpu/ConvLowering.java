package org.convcl.cpu;

import java.util.List;
import org.convcl.tensor.ConvGeometry;

/**
 * One way of computing one convolution pass on the CPU (im2col into the GEMM, a plain GEMM for 1x1
 * layers, ...): its name, the geometries it handles and its tunables. {@link CpuConvPlanner#choose}
 * picks one per (pass, geometry).
 */
public interface ConvLowering {
  /** A stable name, e.g. {@code "im2col-gemm"}. */
  String name();

  ConvPass pass();

  /** True when this lowering computes {@link #pass} correctly for {@code g}. */
  boolean applies(ConvGeometry g);

  /** Its knobs with this machine's defaults and legal ranges. */
  List<Tunable> tunables();
}
