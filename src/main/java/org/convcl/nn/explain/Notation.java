package org.convcl.nn.explain;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The course notes' notation: 1-based row and column appended to the letter, {@code X11}, {@code
 * F21}, {@code dL/dO12}; with a comma when an index has two digits ({@code X1,10}).
 */
public final class Notation {
  private Notation() {}

  public static String name(String letter, int row0, int col0) {
    int r = row0 + 1;
    int c = col0 + 1;
    return r > 9 || c > 9 ? letter + r + "," + c : letter + r + c;
  }

  public static String x(Term t) {
    return name("X", t.ih(), t.iw());
  }

  public static String f(Term t) {
    return name("F", t.r(), t.s());
  }

  public static String dO(Term t) {
    return name("dL/dO", t.oh(), t.ow());
  }

  /** {@code a + b + c}, or {@code 0} for an empty sum. */
  public static String sum(List<Term> terms, Function<Term, String> product) {
    if (terms.isEmpty()) {
      return "0";
    }
    return terms.stream().map(product).collect(Collectors.joining(" + "));
  }
}
