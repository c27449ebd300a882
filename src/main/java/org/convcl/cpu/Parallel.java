package org.convcl.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The thread pool of one {@link CpuOps}. Work is split into independent tasks that each write their
 * own part of the output (a plane, a row, a filter, a tile of a matrix product), so results do not
 * depend on scheduling: every sum is computed by one thread in a fixed order.
 */
final class Parallel implements AutoCloseable {
  private final ForkJoinPool pool;
  private final int threads;

  /** Runs task {@code task} as worker {@code worker} (in {@code [0, threads)}). */
  @FunctionalInterface
  interface WorkerTask {
    void run(int task, int worker);
  }

  Parallel(int threads) {
    this.threads = threads;
    this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
  }

  int threads() {
    return threads;
  }

  /**
   * Runs {@code body(i)} for {@code i in [0, count)}; {@code work} is a rough cost per task to skip
   * tiny jobs.
   */
  void forEach(int count, long work, IntConsumer body) {
    if (serial(count, work)) {
      for (int i = 0; i < count; i++) {
        body.accept(i);
      }
      return;
    }
    pool.submit(() -> IntStream.range(0, count).parallel().forEach(body)).join();
  }

  /**
   * Runs {@code body(task, worker)} for every {@code task in [0, count)}. At most one task runs at
   * a time with a given worker index, so a worker may use scratch memory indexed by it (see {@link
   * GemmScratch}). Which worker runs which task varies; what a task computes must not depend on it.
   */
  void forEachWorker(int count, long work, WorkerTask body) {
    if (serial(count, work)) {
      for (int i = 0; i < count; i++) {
        body.run(i, 0);
      }
      return;
    }
    int workers = Math.min(threads, count);
    AtomicInteger next = new AtomicInteger();
    ForkJoinTask<?>[] running = new ForkJoinTask<?>[workers];
    for (int w = 0; w < workers; w++) {
      int worker = w;
      running[w] =
          pool.submit(
              () -> {
                for (int task = next.getAndIncrement(); task < count; ) {
                  body.run(task, worker);
                  task = next.getAndIncrement();
                }
              });
    }
    for (ForkJoinTask<?> t : running) {
      t.join();
    }
  }

  private boolean serial(int count, long work) {
    return pool == null || count < 2 || (long) count * work < 32_768;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
