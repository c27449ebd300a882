package org.convcl.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a request to stop after the current training step. The JVM
 * runs shutdown hooks on either signal; this one sets the flag the trainer polls and then waits
 * until {@link #close} says the run has stopped cleanly (progress line cleared, message printed,
 * run directory unlocked), at most {@link #GRACE_SECONDS}. The JVM then exits with 128 + the signal
 * number: 143 for SIGTERM, 130 for SIGINT.
 */
final class StopOnSignal implements AutoCloseable {
  /** How long a signalled process waits for the step in flight before it exits anyway. */
  static final int GRACE_SECONDS = 60;

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread hook = new Thread(this::onSignal, "convcl-stop-on-signal");
  private volatile boolean requested;

  private StopOnSignal() {}

  static StopOnSignal install() {
    StopOnSignal s = new StopOnSignal();
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  /** Whether a signal asked the run to stop. */
  boolean requested() {
    return requested;
  }

  private void onSignal() {
    requested = true;
    try {
      stopped.await(GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The run is over: lets a waiting shutdown finish, or removes the hook if none began. */
  @Override
  public void close() {
    stopped.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running and now returns
    }
  }
}
