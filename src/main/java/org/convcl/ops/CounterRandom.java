package org.convcl.ops;

/**
 * A stateless random number per (seed, index), so that every backend draws the same dropout mask
 * without sharing a generator: the kernels in {@code opencl/common.cl} compute the same bits with
 * unsigned 32-bit arithmetic. Java's wrapping {@code int} multiply and {@code >>>} shift match
 * OpenCL's {@code uint} {@code *} and {@code >>}.
 */
public final class CounterRandom {
  private CounterRandom() {}

  /** A well-mixed 32-bit value (the "lowbias32" finalizer applied to index and seed). */
  public static int hash(long seed, int index) {
    int x = index * 0x9E3779B9 + (int) seed;
    x ^= (int) (seed >>> 32);
    x ^= x >>> 16;
    x *= 0x7feb352d;
    x ^= x >>> 15;
    x *= 0x846ca68b;
    x ^= x >>> 16;
    return x;
  }

  /** A uniform float in [0, 1) with 24 random bits. */
  public static float uniform(long seed, int index) {
    return (hash(seed, index) >>> 8) * 0x1.0p-24f;
  }
}
