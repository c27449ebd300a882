package org.convcl.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.convcl.nn.ModelSpec;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.train.Checkpoint;
import org.convcl.train.CheckpointException;
import org.convcl.train.CheckpointIO;

/** A model rebuilt from a checkpoint on a backend. */
record Restored(Checkpoint checkpoint, Sequential model) implements AutoCloseable {

  static Restored open(Ops ops, String where) throws IOException {
    Path file = Checkpoints.resolve(where);
    Checkpoint c = CheckpointIO.read(file);
    Sequential m = ModelSpec.build(ops, c.spec(), c.inputItem(), c.seed());
    try {
      c.restoreModel(m);
    } catch (IllegalArgumentException e) {
      m.close();
      throw new CheckpointException(file, e.getMessage(), e);
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
