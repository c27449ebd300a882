package org.convcl.nn;

/**
 * A model spec that cannot be parsed or built. The message quotes the spec and underlines the
 * offending token, e.g.
 *
 * <pre>
 * model spec token 2 "conv5x5" is not valid: a convolution is conv&lt;R&gt;x&lt;S&gt;x&lt;K&gt;...
 *   relu-conv5x5-dense10
 *        ^^^^^^^
 * </pre>
 */
public final class SpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int tokenIndex;

  SpecException(String spec, int tokenIndex, int column, String token, String problem) {
    this(spec, tokenIndex, column, token, problem, null);
  }

  SpecException(
      String spec, int tokenIndex, int column, String token, String problem, Throwable cause) {
    super(message(spec, tokenIndex, column, token, problem), cause);
    this.tokenIndex = tokenIndex;
  }

  /** The 1-based position of the offending token in the spec. */
  public int tokenIndex() {
    return tokenIndex;
  }

  private static String message(
      String spec, int tokenIndex, int column, String token, String problem) {
    String underline = " ".repeat(column) + "^".repeat(Math.max(1, token.length()));
    return "model spec token "
        + tokenIndex
        + " \""
        + token
        + "\": "
        + problem
        + "\n  "
        + spec
        + "\n  "
        + underline;
  }
}
