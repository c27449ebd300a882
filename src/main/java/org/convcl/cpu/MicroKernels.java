package org.convcl.cpu;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link MicroKernel}: the SIMD one when the JVM was started with {@code --add-modules
 * jdk.incubator.vector}, otherwise the scalar one, saying once (per JVM) how to get the fast path.
 * {@code SimdMicroKernel} is loaded by name only after the module is found, so no class of the
 * library links against the incubator module unless it is present.
 */
final class MicroKernels {
  private static final Logger LOG = LoggerFactory.getLogger(MicroKernels.class);
  static final String MODULE = "jdk.incubator.vector";
  private static final String SIMD_CLASS = "org.convcl.cpu.SimdMicroKernel";
  private static final String SIMD_DIRECT_CLASS = "org.convcl.cpu.SimdDirectConvKernel";

  private MicroKernels() {}

  /** The fastest kernel this JVM can run (decided once, on first use). */
  static MicroKernel best() {
    return Best.KERNEL;
  }

  /** The plain-Java kernel, whatever the JVM offers (tests compare it with {@link #best}). */
  static MicroKernel scalar() {
    return new ScalarMicroKernel();
  }

  /**
   * The direct convolution kernel to pair with {@code matrix}: the SIMD one when {@code matrix} is
   * vectorized (the module is present), else the scalar one; both give the same bits.
   */
  static DirectConvKernel direct(MicroKernel matrix) {
    if (!matrix.vectorized()) {
      return new ScalarDirectConvKernel();
    }
    return simdOrScalar(
        SIMD_DIRECT_CLASS,
        DirectConvKernel.class,
        ScalarDirectConvKernel::new,
        "direct convolution kernel");
  }

  /**
   * An instance of the SIMD class {@code className} when the module is present and the class loads,
   * else {@code scalar}'s (a failed load is logged as a warning naming {@code what}; a missing
   * module is said once, by {@link #best}).
   */
  static <T> T simdOrScalar(String className, Class<T> type, Supplier<T> scalar, String what) {
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      return scalar.get();
    }
    try {
      return type.cast(Class.forName(className).getDeclaredConstructor().newInstance());
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      LOG.warn("CPU backend: the SIMD {} failed to load ({}); scalar loops", what, e.toString());
      return scalar.get();
    }
  }

  /** Holder idiom: the detection (and its one log line) runs once, when first needed. */
  private static final class Best {
    static final MicroKernel KERNEL = detect();
  }

  private static MicroKernel detect() {
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      LOG.info(
          "CPU backend: the SIMD kernels need the JVM option --add-modules {}; using the scalar"
              + " (several times slower) matrix kernel",
          MODULE);
      return scalar();
    }
    try {
      return (MicroKernel) Class.forName(SIMD_CLASS).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.warn(
          "CPU backend: {} is present but its kernel failed to load ({}); scalar kernel",
          MODULE,
          e.toString());
      return scalar();
    }
  }
}
