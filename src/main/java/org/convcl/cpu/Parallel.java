package org.convcl.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The thread pool of one {@link CpuOps}. Work is split into independent tasks that each write their
 * own part of the output (a plane, a row, a filter), so results do not depend on scheduling: every
 * sum is computed by one thread in a fixed order.
 */
final class Parallel implements AutoCloseable {
  private final ForkJoinPool pool;
  private final int threads;

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
    if (pool == null || count < 2 || (long) count * work < 32_768) {
      for (int i = 0; i < count; i++) {
        body.accept(i);
      }
      return;
    }
    pool.submit(() -> IntStream.range(0, count).parallel().forEach(body)).join();
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }
}
