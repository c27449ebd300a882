package org.convcl.ops;

/**
 * Repeated writes of host data into one tensor that return without waiting for the device: each
 * copies the array into staging memory the device reads directly (pinned host memory on OpenCL) and
 * enqueues the transfer, so the host can go on preparing while earlier work runs. Work enqueued
 * after a write sees the new contents; the caller may reuse its array as soon as the write returns.
 * A write waits only if the transfer of the one before it is still under way. From {@link
 * Ops#stagedWrite(Tensor)}; close it before the tensor.
 */
public interface StagedWrite extends AutoCloseable {
  /** Writes every element of a FLOAT32 tensor. */
  void write(float[] data);

  /** Writes every element of an INT32 tensor. */
  void writeInts(int[] data);

  /** Waits for the last transfer and releases the staging memory. */
  @Override
  void close();
}
