package org.convcl.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive lock on a run directory, held from before the first write to the end of the run: an
 * operating-system lock ({@link FileChannel#tryLock}) on {@code run.lock}, which also records who
 * holds it (pid, host, start time) for the message another process gets. The OS drops the lock when
 * its process dies, however it dies, so a stale file never blocks a run; the file itself stays
 * (deleting it would let two processes lock two different files of one name).
 */
final class RunLock implements AutoCloseable {
  static final String NAME = "run.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Locks {@code dir}; null when another process (or this one) holds it: see {@link #holder}. */
  static RunLock tryAcquire(Path dir) throws IOException {
    FileChannel ch =
        FileChannel.open(
            dir.resolve(NAME),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another thread of this JVM
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      return null;
    }
    try {
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(describeSelf().getBytes(StandardCharsets.UTF_8)), 0);
      ch.force(true);
    } catch (IOException e) {
      lock.release();
      ch.close();
      throw e;
    }
    return new RunLock(ch, lock);
  }

  /** Who holds {@code dir}'s lock, as its holder recorded it. */
  static String holder(Path dir) {
    try {
      String s = java.nio.file.Files.readString(dir.resolve(NAME), StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? "a process that is just starting" : s;
    } catch (IOException e) {
      return "another process";
    }
  }

  private static String describeSelf() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown host";
    }
    return "convcl train, pid "
        + ProcessHandle.current().pid()
        + " on "
        + host
        + ", started "
        + Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime())
        + "\n";
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
