package org.convcl.ops;

import org.convcl.tensor.Tensor;

/**
 * The checks of {@link Ops#read} and {@link Ops#readInts} in front of a backend's staged read, and
 * that each result follows a request.
 */
final class CheckedStagedRead implements StagedRead {
  private final OpsChecks check;
  private final Tensor src;
  private final StagedRead backend;
  private boolean requested;

  CheckedStagedRead(OpsChecks check, Tensor src, StagedRead backend) {
    this.check = check;
    this.src = src;
    this.backend = backend;
  }

  @Override
  public void request() {
    check.owned("stagedRead", "source", src);
    backend.request();
    requested = true;
  }

  @Override
  public float[] floats() {
    check.floats("stagedRead", "source", src);
    requireRequested();
    return backend.floats();
  }

  @Override
  public int[] ints() {
    check.ints("stagedRead", "source", src);
    requireRequested();
    return backend.ints();
  }

  private void requireRequested() {
    if (!requested) {
      throw new IllegalStateException(
          "stagedRead: no request() for " + src.shape() + " before taking its result");
    }
    requested = false;
  }

  @Override
  public void close() {
    backend.close();
  }
}
