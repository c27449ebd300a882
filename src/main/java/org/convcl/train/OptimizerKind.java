package org.convcl.train;

import java.util.Locale;

/** The optimizers ConvCL implements. */
public enum OptimizerKind {
  /** Stochastic gradient descent, optionally with (Nesterov) momentum and weight decay. */
  SGD,
  /** Adam with bias correction and L2 weight decay. */
  ADAM;

  /**
   * The kind named {@code name}, case-insensitively.
   *
   * @param name {@code sgd} or {@code adam}
   * @return the kind
   * @throws IllegalArgumentException naming the value when it is neither
   */
  public static OptimizerKind parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "sgd" -> SGD;
      case "adam" -> ADAM;
      default ->
          throw new IllegalArgumentException("optimizer = " + name + ": must be sgd or adam");
    };
  }

  /**
   * The lower-case name checkpoints and settings record.
   *
   * @return {@code sgd} or {@code adam}
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
