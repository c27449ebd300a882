package org.convcl.cli;

import java.io.IOException;
import org.convcl.ops.Ops;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of commands that run a trained model: device, log level and the checkpoint. */
final class CheckpointOptions {
  @Mixin CommonOptions common;

  @Option(
      names = "--checkpoint",
      paramLabel = "CKPT|DIR",
      description = "a checkpoint file or run directory (default: the newest run)")
  String checkpoint;

  /** Sets the log level and opens the chosen device. */
  Ops openDevice() {
    common.applyLogLevel();
    return common.openDevice();
  }

  /** The checkpoint's model rebuilt on {@code ops}. */
  Restored restore(Ops ops) throws IOException {
    return Restored.open(ops, checkpoint);
  }
}
