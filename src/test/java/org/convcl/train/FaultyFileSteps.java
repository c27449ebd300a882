package org.convcl.train;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link FileSteps#SYSTEM} with a fault at the {@code failAt}-th step (1-based, counting every
 * create, write, fsync, rename and directory fsync): in {@link Mode#THROW} that step throws an
 * {@link IOException}; in {@link Mode#KILL} it and every later step (clean-up included) throw
 * {@link Killed}, as if the process had died there and left whatever was on disk. {@code failAt} 0
 * never fails and only counts.
 */
final class FaultyFileSteps implements FileSteps {
  enum Mode {
    THROW,
    KILL
  }

  /** The process "died": nothing after this point ran. */
  static final class Killed extends Error {
    private static final long serialVersionUID = 1L;

    Killed(String where) {
      super("killed at " + where);
    }
  }

  private final int failAt;
  private final Mode mode;
  private int count;
  private boolean dead;

  FaultyFileSteps(int failAt, Mode mode) {
    this.failAt = failAt;
    this.mode = mode;
  }

  /** The faultable steps taken so far. */
  int count() {
    return count;
  }

  private void step(String what, Path p) throws IOException {
    if (dead) {
      throw new Killed(what + " " + p + " (after the kill)");
    }
    count++;
    if (count == failAt) {
      if (mode == Mode.KILL) {
        dead = true;
        throw new Killed(what + " " + p + " (step " + count + ")");
      }
      throw new IOException("injected fault at " + what + " " + p + " (step " + count + ")");
    }
  }

  @Override
  public Path createTemp(Path dir, String prefix) throws IOException {
    step("create", dir);
    return SYSTEM.createTemp(dir, prefix);
  }

  @Override
  public void write(Path file, byte[] body) throws IOException {
    step("write", file);
    SYSTEM.write(file, body);
  }

  @Override
  public void fsync(Path file) throws IOException {
    step("fsync", file);
    SYSTEM.fsync(file);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    step("rename", to);
    SYSTEM.rename(from, to);
  }

  @Override
  public void fsyncDirectory(Path dir) throws IOException {
    step("fsync directory", dir);
    SYSTEM.fsyncDirectory(dir);
  }

  @Override
  public void delete(Path file) throws IOException {
    if (dead) {
      throw new Killed("delete " + file + " (after the kill)");
    }
    SYSTEM.delete(file);
  }
}
