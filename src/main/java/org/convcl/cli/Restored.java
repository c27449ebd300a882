package org.convcl.cli;

import java.io.IOException;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.train.Checkpoint;
import org.convcl.train.CheckpointIO;

/** A model rebuilt from a checkpoint on a backend. */
record Restored(Checkpoint checkpoint, Sequential model) implements AutoCloseable {

  static Restored open(Ops ops, String where) throws IOException {
    Checkpoint c = CheckpointIO.read(Checkpoints.resolve(where));
    Sequential m = ModelSpec.build(ops, c.spec(), c.inputItem(), c.seed());
    try {
      c.restoreModel(m);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return new Restored(c, m);
  }

  @Override
  public void close() {
    model.close();
  }
}
