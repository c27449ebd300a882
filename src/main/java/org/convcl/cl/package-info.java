/**
 * The OpenCL backend through JOCL. {@link org.convcl.cl.ClDevices} enumerates platforms and
 * devices; {@link org.convcl.cl.ClOps} implements every op of {@link org.convcl.ops.Ops} as kernels
 * from the {@code opencl/} folder (see docs/kernels.md) on one device. Inside: {@code ClRuntime}
 * (context and queue), {@code ProgramCache} (programs built once per file and options), {@code
 * BufferPool} (buffers reused by size), {@code KernelArgs} and {@code Launch} (arguments in
 * declaration order, launch ranges), and one launcher class per kernel family. Every OpenCL error
 * surfaces as a {@link org.convcl.cl.ClException} naming the call, the error and the op.
 */
package org.convcl.cl;
