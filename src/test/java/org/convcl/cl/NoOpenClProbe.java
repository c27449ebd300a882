package org.convcl.cl;

import org.convcl.ops.Backends;
import org.convcl.ops.Ops;

/**
 * Run by {@link NoOpenClTest} in a child JVM whose ICD loader finds no platform: prints what {@code
 * auto} chose and what {@code opencl} said.
 */
public final class NoOpenClProbe {
  private NoOpenClProbe() {}

  public static void main(String[] args) {
    try (Ops ops = Backends.open("auto")) {
      System.out.println("auto=" + ops.getClass().getSimpleName());
    }
    try (Ops ops = Backends.open("opencl")) {
      System.out.println("opencl=" + ops.getClass().getSimpleName());
    } catch (OpenClUnavailableException e) {
      System.out.println("opencl-error=" + e.getMessage());
    }
  }
}
