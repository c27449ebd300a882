package org.convcl.cl;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * Runs every release step even when one fails, so a failing {@code clRelease...} does not leak the
 * resources after it; the first failure is rethrown at the end with the later ones suppressed.
 */
final class ReleaseAll {
  private ReleaseAll() {}

  /** {@code release} applied to each of {@code items}, every one attempted. */
  static <T> void each(Collection<T> items, Consumer<T> release) {
    run(items.stream().<Runnable>map(t -> () -> release.accept(t)).toArray(Runnable[]::new));
  }

  static void run(Runnable... releases) {
    RuntimeException first = null;
    for (Runnable release : releases) {
      try {
        release.run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
