package org.convcl.grad;

import java.util.List;
import org.convcl.ref.RefOps;
import org.convcl.testutil.CpuRunner;
import org.junit.jupiter.api.AfterEach;

/**
 * The shared setup of the gradient and adjoint checks of this package. These checks trust no
 * backend, so they are what tests the reference backend: every check runs on {@link RefOps} and,
 * because it is cheap, on CpuOps too. A fresh {@link CpuRunner} per backend and test, closed (and
 * checked for leaked tensors) after it, and the central-difference step.
 */
abstract class CpuOpCheck {
  /** Central-difference step; the losses are evaluated in double, see each class's tolerance. */
  static final double H = 1e-6;

  /** The backends under check: the reference first, then CpuOps. */
  protected final List<CpuRunner> backends = List.of(new CpuRunner(new RefOps()), new CpuRunner());

  @AfterEach
  void closeRunners() {
    backends.forEach(CpuRunner::close);
  }
}
