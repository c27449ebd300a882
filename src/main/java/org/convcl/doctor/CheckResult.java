package org.convcl.doctor;

/**
 * The outcome of one check on one device.
 *
 * @param name the op (and implementation) checked, e.g. {@code maxPoolForward 2x2 s2}
 * @param problem null when it passed, else what went wrong (a mismatch, a build error)
 * @param millis the device run's wall time, including the first build of its kernels
 */
public record CheckResult(String name, String problem, double millis) {
  public boolean passed() {
    return problem == null;
  }
}
