package org.convcl.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The pool's contract: every task once, one task per worker index at a time, failures surface. */
class ParallelTest {
  private static final long BIG = 1 << 20; // work per task above the serial threshold

  @Test
  void everyTaskRunsExactlyOnceForEveryThreadCountAndSize() {
    for (int threads = 1; threads <= 4; threads++) {
      try (Parallel par = new Parallel(threads)) {
        for (int count : new int[] {1, 2, 3, 7, 64, 1000}) {
          for (int round = 0; round < 20; round++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(count);
            par.forEachWorker(count, BIG, (task, worker) -> runs.incrementAndGet(task));
            for (int t = 0; t < count; t++) {
              assertEquals(
                  1, runs.get(t), "threads " + threads + ", count " + count + ", task " + t);
            }
          }
        }
      }
    }
  }

  @Test
  void forEachRunsEveryTaskOnceWhateverItsChunks() {
    for (int threads = 1; threads <= 3; threads++) {
      try (Parallel par = new Parallel(threads)) {
        for (int count : new int[] {1, 2, 5, 63, 64, 65, 3200}) {
          for (long work : new long[] {1, 64, 576, 65_536, 1 << 20}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(count);
            par.forEach(count, work, runs::incrementAndGet);
            for (int t = 0; t < count; t++) {
              assertEquals(
                  1, runs.get(t), "threads " + threads + ", count " + count + ", work " + work);
            }
            int chunk = par.chunk(count, work);
            assertTrue(chunk >= 1 && chunk <= Math.max(1, count / (4 * threads)), "chunk " + chunk);
          }
        }
      }
    }
  }

  @Test
  void noTwoTasksRunAtOnceWithOneWorkerIndex() {
    try (Parallel par = new Parallel(3)) {
      AtomicIntegerArray busy = new AtomicIntegerArray(3);
      AtomicInteger overlaps = new AtomicInteger();
      AtomicInteger outOfRange = new AtomicInteger();
      for (int round = 0; round < 200; round++) {
        par.forEachWorker(
            24,
            BIG,
            (task, worker) -> {
              if (worker < 0 || worker >= 3) {
                outOfRange.incrementAndGet();
                return;
              }
              if (busy.getAndIncrement(worker) != 0) {
                overlaps.incrementAndGet();
              }
              LockSupport.parkNanos(2_000); // long enough for the others to take tasks
              busy.decrementAndGet(worker);
            });
      }
      assertEquals(0, outOfRange.get(), "worker indices outside [0, 3)");
      assertEquals(0, overlaps.get(), "tasks that ran while another had their worker index");
    }
  }

  @Test
  void aFailureInAnyTaskIsRethrownToTheCallerAndThePoolStaysUsable() {
    try (Parallel par = new Parallel(2)) {
      for (int failing : new int[] {0, 1, 37, 99}) {
        IllegalStateException thrown =
            assertThrows(
                IllegalStateException.class,
                () ->
                    par.forEachWorker(
                        100,
                        BIG,
                        (task, worker) -> {
                          LockSupport.parkNanos(1_000);
                          if (task == failing) {
                            throw new IllegalStateException("task " + failing);
                          }
                        }));
        assertEquals("task " + failing, thrown.getMessage());
        AtomicInteger ran = new AtomicInteger();
        par.forEach(50, BIG, task -> ran.incrementAndGet());
        assertEquals(50, ran.get(), "the region after task " + failing + " failed");
      }
    }
  }

  @Test
  void aCheckedExceptionThrownByATaskReachesTheCallerAndNoThreadHangs() {
    try (Parallel par = new Parallel(2)) {
      for (int round = 0; round < 10; round++) {
        IllegalStateException thrown =
            assertThrows(
                IllegalStateException.class,
                () ->
                    par.forEachWorker(
                        8,
                        BIG,
                        (task, worker) -> {
                          LockSupport.parkNanos(20_000);
                          if (task == 5) {
                            sneakyThrow(new java.io.IOException("task 5"));
                          }
                        }));
        assertEquals("task 5", thrown.getCause().getMessage());
        AtomicInteger ran = new AtomicInteger();
        par.forEach(50, BIG, task -> ran.incrementAndGet());
        assertEquals(50, ran.get(), "the region after round " + round);
      }
    }
  }

  /** Throws {@code t}, checked or not, past the compiler (as code compiled elsewhere may). */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }

  @Test
  void aRegionStartedInsideATaskRunsSeriallyOnThatTasksThread() {
    try (Parallel par = new Parallel(2)) {
      AtomicInteger inner = new AtomicInteger();
      AtomicInteger otherThread = new AtomicInteger();
      par.forEach(
          8,
          BIG,
          task -> {
            Thread outer = Thread.currentThread();
            par.forEachWorker(
                5,
                BIG,
                (t, worker) -> {
                  inner.incrementAndGet();
                  if (Thread.currentThread() != outer || worker != 0) {
                    otherThread.incrementAndGet();
                  }
                });
          });
      assertEquals(40, inner.get());
      assertEquals(0, otherThread.get());
    }
  }

  @Test
  void insideSeriallyEveryRegionRunsOnTheCallingThreadAndAfterwardsNot() {
    try (Parallel par = new Parallel(2)) {
      Thread caller = Thread.currentThread();
      AtomicInteger elsewhere = new AtomicInteger();
      par.serially(
          () ->
              par.forEachWorker(
                  64,
                  BIG,
                  (task, worker) -> {
                    LockSupport.parkNanos(20_000);
                    if (Thread.currentThread() != caller || worker != 0) {
                      elsewhere.incrementAndGet();
                    }
                  }));
      assertEquals(0, elsewhere.get(), "tasks on a helper inside serially");
      // Afterwards a helper takes part again: in some region of 50 (one is nearly always enough;
      // the margin is for a loaded machine that is slow to wake the helper).
      for (int round = 0; round < 50 && elsewhere.get() == 0; round++) {
        par.forEachWorker(
            64,
            BIG,
            (task, worker) -> {
              LockSupport.parkNanos(20_000);
              if (Thread.currentThread() != caller) {
                elsewhere.incrementAndGet();
              }
            });
      }
      assertTrue(elsewhere.get() > 0, "no task on a helper in 50 regions after serially");
    }
  }

  @Test
  void tinyJobsRunOnTheCallingThread() {
    try (Parallel par = new Parallel(2)) {
      Thread caller = Thread.currentThread();
      AtomicInteger elsewhere = new AtomicInteger();
      par.forEach(100, 10, task -> elsewhere.addAndGet(Thread.currentThread() == caller ? 0 : 1));
      assertEquals(0, elsewhere.get());
    }
  }

  @Test
  void closeEndsTheHelperThreads() throws InterruptedException {
    Parallel par = new Parallel(3);
    par.forEach(16, BIG, task -> LockSupport.parkNanos(1_000));
    assertEquals(2, par.helperThreads().size());
    par.helperThreads().forEach(t -> assertTrue(t.isDaemon(), t.getName() + " is not a daemon"));
    par.close();
    for (Thread t : par.helperThreads()) {
      t.join(5_000);
      assertFalse(t.isAlive(), t.getName() + " alive 5 s after close");
    }
  }

  @Test
  void aPoolDroppedWithoutCloseEndsItsHelpersOnceCollected() throws InterruptedException {
    List<Thread> threads = dropPool();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (threads.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    for (Thread t : threads) {
      assertFalse(t.isAlive(), t.getName() + " alive 10 s after its pool became unreachable");
    }
  }

  /** A pool that ran a region and was not closed; only its helper threads are returned. */
  private static List<Thread> dropPool() {
    Parallel par = new Parallel(3);
    // The body refers to the pool, as the backend's do (through its GEMM engine).
    par.forEach(16, BIG, task -> LockSupport.parkNanos(par.threads() * 1_000L));
    return par.helperThreads();
  }

  @Test
  void theCallerIsWorkerZero() {
    try (Parallel par = new Parallel(2)) {
      Thread caller = Thread.currentThread();
      AtomicInteger wrong = new AtomicInteger();
      AtomicInteger onCaller = new AtomicInteger();
      for (int round = 0; round < 20; round++) {
        par.forEachWorker(
            64,
            BIG,
            (task, worker) -> {
              LockSupport.parkNanos(20_000); // so that no one thread runs them all
              boolean isCaller = Thread.currentThread() == caller;
              if (isCaller) {
                onCaller.incrementAndGet();
              }
              if (isCaller != (worker == 0)) {
                wrong.incrementAndGet();
              }
            });
      }
      assertEquals(0, wrong.get(), "tasks whose worker index did not match their thread");
      assertTrue(onCaller.get() > 0, "the caller ran no task in 20 regions");
    }
  }
}
