package org.convcl.ops;

/**
 * Repeated reads of one tensor whose request returns without waiting: {@link #request()} asks for
 * the contents as the work enqueued so far leaves them, and {@link #floats()} or {@link #ints()}
 * returns them later, waiting only if that transfer is still under way (after any later wait on the
 * device, such as a blocking read, it is done). So a value needed at the end of a step rides on the
 * step's one wait instead of adding its own. From {@link Ops#stagedRead(Tensor)}; close it before
 * the tensor.
 */
public interface StagedRead extends AutoCloseable {
  /** Enqueues the transfer of the tensor's current contents. */
  void request();

  /** The contents of a FLOAT32 tensor at the last request. */
  float[] floats();

  /** The contents of an INT32 tensor at the last request. */
  int[] ints();

  /** Waits for a transfer in flight and releases the staging memory. */
  @Override
  void close();
}
