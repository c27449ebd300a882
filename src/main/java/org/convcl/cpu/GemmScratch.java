package org.convcl.cpu;

/**
 * The scratch memory of one worker of a {@link CpuGemm}: the packed A block, the packed B block, an
 * edge tile and one buffer for the caller (a convolution's column tile). Each grows to the largest
 * size asked for and is then reused, so steady-state calls allocate none of it.
 */
final class GemmScratch {
  private float[] a = new float[0];
  private float[] b = new float[0];
  private float[] aux = new float[0];
  final float[] edge;

  GemmScratch(GemmBlocking blocking) {
    edge = new float[blocking.mr() * blocking.nr()];
  }

  float[] a(int size) {
    if (a.length < size) {
      a = new float[size];
    }
    return a;
  }

  float[] b(int size) {
    if (b.length < size) {
      b = new float[size];
    }
    return b;
  }

  /** The caller's buffer, at least {@code size} floats (contents undefined). */
  float[] aux(int size) {
    if (aux.length < size) {
      aux = new float[size];
    }
    return aux;
  }
}
