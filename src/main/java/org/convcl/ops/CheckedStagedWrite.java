package org.convcl.ops;

import org.convcl.tensor.Require;
import org.convcl.tensor.Tensor;

/**
 * The checks of {@link Ops#write} and {@link Ops#writeInts} in front of a backend's staged write.
 */
final class CheckedStagedWrite implements StagedWrite {
  private final OpsChecks check;
  private final Tensor dst;
  private final StagedWrite backend;

  CheckedStagedWrite(OpsChecks check, Tensor dst, StagedWrite backend) {
    this.check = check;
    this.dst = dst;
    this.backend = backend;
  }

  @Override
  public void write(float[] data) {
    check.floats("stagedWrite", "destination", dst);
    Require.that(data != null, "stagedWrite: data", null, "must be given");
    OpsChecks.length("stagedWrite", dst, data.length);
    backend.write(data);
  }

  @Override
  public void writeInts(int[] data) {
    check.ints("stagedWrite", "destination", dst);
    Require.that(data != null, "stagedWrite: data", null, "must be given");
    OpsChecks.length("stagedWrite", dst, data.length);
    backend.writeInts(data);
  }

  @Override
  public void close() {
    backend.close();
  }
}
