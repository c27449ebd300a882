package org.convcl.ops;

/**
 * The device time of one kernel's launches.
 *
 * @param kernel the kernel function's name
 * @param implementation the registered implementation that launched it, with its tunables (e.g.
 *     {@code conv_forward_v2 CONV_KB=8}), or the kernel name for kernels with a single version
 * @param launches how many times it ran
 * @param nanos its summed device time (profiling end minus start)
 */
public record KernelTiming(String kernel, String implementation, int launches, long nanos) {}
