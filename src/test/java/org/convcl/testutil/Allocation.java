package org.convcl.testutil;

import java.lang.management.ManagementFactory;

/** How much heap a piece of code allocates, for tests that a reader stays within a bound. */
public final class Allocation {
  private Allocation() {}

  /**
   * Bytes allocated by the current thread while {@code r} runs, from HotSpot's per-thread counter
   * (see {@link Required} for a JVM without it).
   */
  public static long bytes(Runnable r) {
    var bean = ManagementFactory.getThreadMXBean();
    Required.that(
        bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
    var hs = (com.sun.management.ThreadMXBean) bean;
    long id = Thread.currentThread().getId();
    long before = hs.getThreadAllocatedBytes(id);
    r.run();
    return hs.getThreadAllocatedBytes(id) - before;
  }
}
