package org.convcl.cli;

import java.util.Map;

/**
 * What the output stream is: a terminal (draw a progress bar there, in colour unless {@code
 * NO_COLOR} is set, as wide as the terminal) or a pipe or file (plain lines only, no carriage
 * returns or escape codes).
 *
 * @param interactive whether a person watches a terminal
 * @param colour whether escape codes for colour may be written
 * @param width the columns a bar may fill; 0 lets the bar library ask the terminal
 */
record Terminal(boolean interactive, boolean colour, int width) {

  /** Plain output: what a pipe, a file or a test gets. */
  static final Terminal PIPE = new Terminal(false, false, 80);

  /** The terminal this JVM runs in, judged from {@link System#console()} and the environment. */
  static Terminal detect() {
    return detect(System.console() != null, System.getenv());
  }

  /**
   * A terminal when {@code console} and {@code TERM} is not {@code dumb}; colour unless {@code
   * NO_COLOR} is set to anything non-empty (no-color.org); the width from {@code COLUMNS} when it
   * is a number, else from the terminal itself.
   */
  static Terminal detect(boolean console, Map<String, String> env) {
    boolean interactive = console && !"dumb".equals(env.get("TERM"));
    String noColor = env.get("NO_COLOR");
    boolean colour = interactive && (noColor == null || noColor.isEmpty());
    int width = 0;
    try {
      String columns = env.get("COLUMNS");
      width = columns == null ? 0 : Math.max(40, Integer.parseInt(columns.trim()));
    } catch (NumberFormatException e) {
      width = 0;
    }
    return new Terminal(interactive, colour, width);
  }
}
