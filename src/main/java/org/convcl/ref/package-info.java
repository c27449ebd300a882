/**
 * The reference backend: every op of the {@link org.convcl.ops.Ops} SPI as the plainest loops in
 * double precision, written to be read next to docs/math.md: no blocking, no threads, no im2col,
 * one short method per op. Results are computed in double and rounded to float once, when stored.
 * The transcendental functions are {@link java.lang.StrictMath}'s (sqrt is exact anyway), so the
 * reference gives the same bits on every JVM and machine.
 *
 * <p>{@link org.convcl.ref.RefOps} is the oracle of every differential test: the fast backends
 * (CPU, OpenCL) are compared against it. It is itself tested only by what does not trust it: the
 * worked examples of the course notes and of docs/math.md, finite differences and adjoint
 * identities in double, and literal fixtures made by an independent NumPy script.
 *
 * <p>The op families ({@link org.convcl.ref.RefConv}, {@link org.convcl.ref.RefPool}, ...) work on
 * {@code double[]} arrays and are public, so gradient checks can evaluate a loss in double without
 * going through float tensors.
 */
package org.convcl.ref;
