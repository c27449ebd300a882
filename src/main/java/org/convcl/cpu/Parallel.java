package org.convcl.cpu;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The thread pool of one {@link CpuOps}. Work is split into independent tasks that each write their
 * own part of the output (a plane, a row, a filter, a tile of a matrix product), so results do not
 * depend on scheduling: every sum is computed by one thread in a fixed order.
 *
 * <p>A parallel region costs little because the calling thread is worker 0 and starts on the tasks
 * at once, while {@code threads - 1} helper threads, woken by the region, take tasks as they come;
 * a helper that has not started when the tasks run out is not waited for. Between regions a helper
 * spins for {@link #SPIN_NANOS} before it parks, since a training step runs a region every few
 * hundred microseconds. (With a {@link java.util.concurrent.ForkJoinPool} whose workers did all the
 * work while the caller waited, an empty region cost 30-45 us on the 2-core development machine,
 * and a LeNet step runs 19 of them.)
 */
final class Parallel implements AutoCloseable {
  /**
   * How long an idle helper, and a caller waiting for one, spin before they park. bench --model
   * lenet's step, two runs each: 11.9 and 12.5 ms parking at once, 11.3 and 11.4 with 10 us, 11.9
   * and 11.6 with 50 us, 12.7 and 12.7 with 200 us; a longer spin also takes CPU from the JIT's
   * compiler threads during the first epoch (2,905-3,350 images/s with 10 us, 2,704-3,083 with 50).
   */
  static final long SPIN_NANOS = 10_000;

  /** The work units (see {@link #forEach}) worth one claim of a task. */
  static final long CHUNK_WORK = 65_536;

  private final int threads;
  private final Helper[] helpers;
  private final AtomicBoolean inRegion = new AtomicBoolean();

  /** Set on a thread inside {@link #serially(Runnable)}. */
  private final ThreadLocal<Boolean> serialHere = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private final Cleaner.Cleanable stop;

  /** Runs task {@code task} as worker {@code worker} (in {@code [0, threads)}). */
  @FunctionalInterface
  interface WorkerTask {
    void run(int task, int worker);
  }

  /**
   * Ends the helpers of a pool that was never closed once it is unreachable (the helpers hold no
   * reference to it): one daemon thread for the JVM, shared by every pool, holding nothing else.
   */
  private static final Cleaner CLEANER = Cleaner.create();

  Parallel(int threads) {
    this.threads = threads;
    this.helpers = new Helper[Math.max(0, threads - 1)];
    for (int i = 0; i < helpers.length; i++) {
      try {
        helpers[i] = new Helper(i + 1);
      } catch (RuntimeException | Error e) { // e.g. no native thread left: end those started
        Helper.stopAll(Arrays.copyOf(helpers, i));
        throw e;
      }
    }
    Helper[] toStop = helpers;
    this.stop = CLEANER.register(this, () -> Helper.stopAll(toStop));
  }

  int threads() {
    return threads;
  }

  /** The helper threads, workers 1 to {@code threads - 1} (for tests). */
  List<Thread> helperThreads() {
    return Arrays.stream(helpers).map(h -> h.thread).toList();
  }

  /** Runs over the elements {@code [lo, hi)} of one range (see {@link #forRanges}). */
  @FunctionalInterface
  interface RangeTask {
    void run(int lo, int hi);
  }

  /**
   * Runs {@code body(lo, hi)} over {@code [0, n)} cut into ranges of {@code range} elements (the
   * last one shorter), one task per range of {@code range} units of work: element-wise passes whose
   * results do not depend on the cut.
   */
  void forRanges(int n, int range, RangeTask body) {
    forEach(
        (n + range - 1) / range,
        range,
        r -> {
          int lo = r * range;
          body.run(lo, Math.min(n, lo + range));
        });
  }

  /**
   * Runs {@code body(i)} for {@code i in [0, count)}; {@code work} is a rough cost per task to skip
   * tiny jobs.
   */
  void forEach(int count, long work, IntConsumer body) {
    int chunk = chunk(count, work);
    int chunks = (count + chunk - 1) / chunk;
    forEachWorker(
        chunks,
        work * chunk,
        (c, worker) -> {
          for (int i = c * chunk, end = Math.min(count, i + chunk); i < end; i++) {
            body.accept(i);
          }
        });
  }

  /**
   * How many of {@link #forEach}'s tasks one claim takes: enough for {@link #CHUNK_WORK} units of
   * work, since claims of one small task each are slow (LeNet's second max pool, 3,200 planes of 64
   * cells, took 0.50 ms claimed one plane at a time and 0.29 ms in chunks), but at most a quarter
   * of each thread's share, so the threads still even out.
   */
  int chunk(int count, long work) {
    long enough = (CHUNK_WORK + Math.max(work, 1) - 1) / Math.max(work, 1);
    long balanced = Math.max(1, count / (4L * threads));
    return (int) Math.max(1, Math.min(enough, balanced));
  }

  /**
   * Runs {@code body(task, worker)} for every {@code task in [0, count)}. At most one task runs at
   * a time with a given worker index, so a worker may use scratch memory indexed by it (see {@link
   * GemmScratch}). Which worker runs which task varies; what a task computes must not depend on it.
   * A call made while another region of this pool runs (from a task, or from a second thread) runs
   * its tasks serially on its own thread, as worker 0: code that uses worker-indexed scratch is
   * never called from a task, and is serialised between callers (see {@link CpuGemm}).
   */
  void forEachWorker(int count, long work, WorkerTask body) {
    if (helpers.length == 0 || count < 2 || (long) count * work < 32_768 || serialHere.get()) {
      runHere(count, body);
      return;
    }
    if (!inRegion.compareAndSet(false, true)) {
      runHere(count, body);
      return;
    }
    try {
      Region region = new Region(count, body);
      int offered = Math.min(helpers.length, count - 1);
      for (int h = 0; h < offered; h++) {
        helpers[h].offer(region);
      }
      region.runTasks(0);
      int started = 0;
      for (int h = 0; h < offered; h++) {
        if (!helpers[h].withdraw(region)) {
          started++;
        }
      }
      region.awaitHelpers(started);
    } finally {
      inRegion.set(false);
    }
  }

  /**
   * Runs {@code work} with every region it starts on this thread, as worker 0, while the helpers
   * stay idle; regions started meanwhile by other threads run as before.
   */
  void serially(Runnable work) {
    boolean outer = serialHere.get();
    serialHere.set(Boolean.TRUE);
    try {
      work.run();
    } finally {
      serialHere.set(outer);
    }
  }

  private static void runHere(int count, WorkerTask body) {
    for (int i = 0; i < count; i++) {
      body.run(i, 0);
    }
  }

  /**
   * Tells the helper threads to end; each does once it has finished the region it is running, if
   * any (close does not wait for that). A pool dropped without it ends them when the garbage
   * collector finds it unreachable.
   */
  @Override
  public void close() {
    stop.clean();
  }

  /** One call's tasks: claimed one at a time, by the caller and the helpers that start. */
  private static final class Region {
    private final int count;
    private final WorkerTask body;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger helpersDone = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Thread waiter;

    Region(int count, WorkerTask body) {
      this.count = count;
      this.body = body;
    }

    void runTasks(int worker) {
      try {
        for (int task = next.getAndIncrement(); task < count; task = next.getAndIncrement()) {
          body.run(task, worker);
        }
      } catch (Throwable e) { // whatever a task throws reaches the caller, never a helper's end
        failure.compareAndSet(null, e);
        next.set(count); // the others stop at their next claim
      }
    }

    void helperDone() {
      helpersDone.incrementAndGet();
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }

    /** Waits for {@code started} helpers to finish, then rethrows the first failure of any. */
    void awaitHelpers(int started) {
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      while (helpersDone.get() < started && System.nanoTime() < spinUntil) {
        Thread.onSpinWait();
      }
      if (helpersDone.get() < started) {
        waiter = Thread.currentThread();
        // park returns at once on an interrupted thread: the flag is set aside while waiting for
        // the helpers, which finish their tasks either way, and restored after.
        boolean interrupted = Thread.interrupted();
        while (helpersDone.get() < started) {
          LockSupport.park(this);
          interrupted |= Thread.interrupted();
        }
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      Throwable t = failure.get();
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
      if (t != null) {
        throw new IllegalStateException("a parallel task failed", t);
      }
    }
  }

  /**
   * A thread that runs the regions offered to it, as worker {@code index}. Static, so that a
   * running helper does not keep its pool reachable.
   */
  private static final class Helper implements Runnable {
    private final int index;
    private final Thread thread;
    private final AtomicReference<Region> mailbox = new AtomicReference<>();
    private volatile boolean parked;
    private volatile boolean closed;

    Helper(int index) {
      this.index = index;
      // No inherited thread-locals: a helper keeps nothing of the thread that made its pool.
      this.thread = new Thread(null, this, "convcl-cpu-" + index, 0, false);
      thread.setDaemon(true);
      thread.start();
    }

    void offer(Region r) {
      mailbox.set(r);
      if (parked) {
        LockSupport.unpark(thread);
      }
    }

    static void stopAll(Helper[] helpers) {
      for (Helper h : helpers) {
        h.closed = true;
        LockSupport.unpark(h.thread);
      }
    }

    /** True when the helper had not taken {@code r}: it never will, and is not waited for. */
    boolean withdraw(Region r) {
      return mailbox.compareAndSet(r, null);
    }

    @Override
    public void run() {
      while (!closed) {
        Region r = take();
        if (r != null) {
          try {
            r.runTasks(index);
          } finally {
            r.helperDone();
          }
        }
      }
    }

    /** The next region offered, spinning a while before parking; null once closed. */
    private Region take() {
      long spinUntil = System.nanoTime() + SPIN_NANOS;
      for (int spins = 0; ; spins++) {
        Region r = mailbox.getAndSet(null);
        if (r != null || closed) {
          return r;
        }
        if ((spins & 63) != 63 || System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
          continue;
        }
        parked = true;
        if (mailbox.get() == null && !closed) {
          LockSupport.park(this);
          Thread.interrupted(); // an interrupt of a helper means nothing; it must not make it spin
        }
        parked = false;
        spinUntil = System.nanoTime() + SPIN_NANOS;
      }
    }
  }
}
