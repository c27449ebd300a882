package org.convcl.grad;

import org.convcl.testutil.CpuRunner;
import org.junit.jupiter.api.AfterEach;

/**
 * The shared setup of the gradient and adjoint checks of this package: a fresh {@link CpuRunner}
 * per test, closed (and checked for leaked tensors) after it, and the central-difference step.
 */
abstract class CpuOpCheck {
  /** Central-difference step; the losses are evaluated in double, see each class's tolerance. */
  static final double H = 1e-6;

  protected final CpuRunner cpu = new CpuRunner();

  @AfterEach
  void closeRunner() {
    cpu.close();
  }
}
