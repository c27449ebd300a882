package org.convcl.cl;

import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.convcl.tensor.PoolGeometry;
import org.convcl.tensor.PoolParams;

/**
 * Writes a geometry as the kernel arguments that {@code CONV_GEOMETRY_PARAMS} and {@code
 * POOL_GEOMETRY_PARAMS} (opencl/common.cl) declare, in the same order.
 */
final class GeometryArgs {
  private GeometryArgs() {}

  static void conv(KernelArgs a, ConvGeometry g) {
    ConvParams p = g.params();
    a.i(g.n()).i(g.c()).i(g.h()).i(g.w()).i(g.k()).i(p.kernelH()).i(p.kernelW());
    a.i(p.strideH()).i(p.strideW()).i(p.padding().top()).i(p.padding().left());
    a.i(p.dilationH()).i(p.dilationW()).i(p.groups()).i(g.outH()).i(g.outW());
  }

  static void pool(KernelArgs a, PoolGeometry g) {
    PoolParams p = g.params();
    a.i(g.n()).i(g.c()).i(g.h()).i(g.w()).i(p.kernelH()).i(p.kernelW());
    a.i(p.strideH()).i(p.strideW());
    a.i(p.padding().top()).i(p.padding().bottom()).i(p.padding().left()).i(p.padding().right());
    a.i(g.outH()).i(g.outW());
  }
}
