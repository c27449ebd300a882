package org.convcl.testutil;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Assertions on rejected arguments: the right exception, and a message a user can act on. */
public final class Expect {
  private Expect() {}

  /**
   * Asserts that {@code call} throws an IllegalArgumentException whose message contains every one
   * of {@code fragments} (typically the parameter's name and the value given); returns the message.
   */
  public static String illegalArgument(Executable call, String... fragments) {
    return check(assertThrows(IllegalArgumentException.class, call).getMessage(), fragments);
  }

  /** As {@link #illegalArgument} for an IllegalStateException (a tensor used after close). */
  public static String illegalState(Executable call, String... fragments) {
    return check(assertThrows(IllegalStateException.class, call).getMessage(), fragments);
  }

  private static String check(String message, String... fragments) {
    for (String f : fragments) {
      assertTrue(
          message != null && message.contains(f),
          () -> "message \"" + message + "\" should contain \"" + f + "\"");
    }
    return message;
  }
}
