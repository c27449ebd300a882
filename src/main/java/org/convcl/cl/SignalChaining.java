package org.convcl.cl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the JVM chains its signal handlers ({@code libjsig}), said once per JVM when OpenCL is
 * first used. The JVM itself raises SIGSEGV on purpose (safepoint polls, implicit null checks) and
 * handles it; a native library that installs its own SIGSEGV handler takes those signals over, and
 * the JVM dies with exit status 139 and no error report. That is what happened with PoCL: the fault
 * address was the JVM's safepoint polling page, and preloading libjsig (which keeps the JVM's
 * handlers first and chains to the library's) ended it. Measured on PoCL: {@code
 * Backends.open("auto")} in a fresh JVM died in 8 runs of 11 without {@code
 * LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}, in 0 of 6 with it. {@code scripts/convcl} and the test
 * runs preload it; a library user is told here how to.
 */
final class SignalChaining {
  private static final Logger LOG = LoggerFactory.getLogger(SignalChaining.class);

  private SignalChaining() {}

  /**
   * Whether libjsig is loaded (true where that cannot be known, off Linux); the first call logs a
   * warning when it is not.
   */
  static boolean chained() {
    return Holder.CHAINED;
  }

  /** Checked once, when first asked. */
  private static final class Holder {
    static final boolean CHAINED = check();
  }

  private static boolean check() {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return true; // not Linux: nothing known to check
    }
    try {
      if (Files.readString(maps).contains("libjsig")) {
        return true;
      }
    } catch (IOException e) {
      return true;
    }
    Path jsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    LOG.warn(
        "OpenCL: the JVM runs without signal chaining; a driver that installs its own signal"
            + " handlers (PoCL was seen to) can make the JVM die with SIGSEGV. Start it with"
            + " LD_PRELOAD={} (scripts/convcl does)",
        jsig);
    return false;
  }
}
