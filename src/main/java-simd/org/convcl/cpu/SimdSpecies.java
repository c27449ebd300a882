package org.convcl.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector shape every SIMD kernel of the CPU backend uses: 8 floats ({@code SPECIES_256})
 * where the JVM's preferred species has at least that many, else the preferred one (4 floats on
 * NEON). One shape for all: a JVM that runs two vector shapes through the same library methods
 * profiles them together, after which the JIT no longer removes the vector objects, and every
 * kernel ran several times slower with 8- and 16-float kernels mixed (see docs/cpu.md).
 */
final class SimdSpecies {
  private SimdSpecies() {}

  static final VectorSpecies<Float> FLOAT =
      FloatVector.SPECIES_PREFERRED.length() >= 8
          ? FloatVector.SPECIES_256
          : FloatVector.SPECIES_PREFERRED;
}
