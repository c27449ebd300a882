package org.convcl.cl;

/**
 * Runs every release step even when one fails, so a failing {@code clRelease...} does not leak the
 * resources after it; the first failure is rethrown at the end with the later ones suppressed.
 */
final class ReleaseAll {
  private ReleaseAll() {}

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
