package org.convcl.cli;

/**
 * An option value or combination the user has to change (exit code 2). Every other exception,
 * {@link IllegalArgumentException}s from deep inside the library included, is a failure (exit 1).
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Runs {@code check}, whose every rule is about the options given, as a usage error. */
  static <T> T from(java.util.function.Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }

  /** Runs {@code parse} on an option's value, turning a rule it breaks into a usage error. */
  static <T> T parsing(String option, String value, java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      throw new UsageException(
          m != null && m.startsWith(option) ? m : option + " = " + value + ": " + rule(m, value),
          e);
    }
  }

  /**
   * The rule of a library message {@code "<name> = <value>: <rule>"} about {@code value}, so the
   * option is not named twice; other messages as they are.
   */
  private static String rule(String m, String value) {
    if (m == null) {
      return null;
    }
    String said = " = " + value + ": ";
    int at = m.indexOf(said);
    boolean leadingName = at > 0 && !m.substring(0, at).contains(":");
    return leadingName ? m.substring(at + said.length()) : m;
  }
}
