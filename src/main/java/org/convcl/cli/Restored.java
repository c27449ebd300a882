package org.convcl.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.convcl.nn.Sequential;
import org.convcl.ops.Ops;
import org.convcl.train.Checkpoint;
import org.convcl.train.CheckpointException;
import org.convcl.train.CheckpointIO;
import org.convcl.train.Classifier;

/** A classifier rebuilt from a checkpoint on a backend, with the checkpoint it came from. */
record Restored(Path file, Checkpoint checkpoint, Classifier classifier) implements AutoCloseable {

  static Restored open(Ops ops, String where) throws IOException {
    Path file = Checkpoints.resolve(where);
    Checkpoint c = CheckpointIO.read(file);
    try {
      return new Restored(file, c, Classifier.restore(ops, c));
    } catch (IllegalArgumentException e) {
      // The checkpoint does not fit the model its own spec builds: a bad file, named as such.
      throw new CheckpointException(file, e.getMessage(), e);
    }
  }

  Sequential model() {
    return classifier.model();
  }

  @Override
  public void close() {
    classifier.close();
  }
}
