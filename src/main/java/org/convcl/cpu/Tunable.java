package org.convcl.cpu;

/**
 * A knob of a CPU implementation (a block size, a tile width): its name, the value used by default
 * on this machine and the legal range {@code [min, max]} a tuner may try.
 */
public record Tunable(String name, int defaultValue, int min, int max) {
  public Tunable {
    if (min > max || defaultValue < min || defaultValue > max) {
      throw new IllegalArgumentException(
          "tunable " + name + ": default " + defaultValue + " outside [" + min + ", " + max + "]");
    }
  }
}
