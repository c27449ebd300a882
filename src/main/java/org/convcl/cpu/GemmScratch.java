package org.convcl.cpu;

import org.convcl.ops.HeapMemory;

/**
 * The scratch memory of one worker of a {@link CpuGemm}: the packed A block, the packed B block, an
 * edge tile, one buffer for the caller (a convolution's column tile) and one for a direct kernel's
 * output tile. Each grows to the largest size asked for and is then reused, so steady-state calls
 * allocate none of it.
 */
final class GemmScratch {
  private float[] a = new float[0];
  private float[] b = new float[0];
  private float[] aux = new float[0];
  private float[] tile = new float[0];
  private int[] ints = new int[0];
  final float[] edge;

  GemmScratch(GemmBlocking blocking) {
    edge = new float[blocking.mr() * blocking.nr()];
  }

  float[] a(int size) {
    if (a.length < size) {
      a = HeapMemory.floats(size, () -> "the CPU GEMM scratch (the packed A block)");
    }
    return a;
  }

  float[] b(int size) {
    if (b.length < size) {
      b = HeapMemory.floats(size, () -> "the CPU GEMM scratch (the packed B block)");
    }
    return b;
  }

  /** The caller's buffer, at least {@code size} floats (contents undefined). */
  float[] aux(int size) {
    if (aux.length < size) {
      aux = HeapMemory.floats(size, () -> "the CPU GEMM scratch (a convolution's column tile)");
    }
    return aux;
  }

  /**
   * A direct kernel's output tile kept in cache (the fused convolution + max pool), at least {@code
   * size} floats (contents undefined).
   */
  float[] outputTile(int size) {
    if (tile.length < size) {
      tile = HeapMemory.floats(size, () -> "the CPU GEMM scratch (a convolution's output tile)");
    }
    return tile;
  }

  /**
   * A buffer of ints for the caller (a list of cells), at least {@code size} (contents undefined).
   */
  int[] ints(int size) {
    if (ints.length < size) {
      ints = HeapMemory.ints(size, () -> "the CPU GEMM scratch (a list of cells)");
    }
    return ints;
  }
}
