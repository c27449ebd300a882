package org.convcl.cl;

import org.convcl.ref.RefOps;
import org.convcl.testutil.Required;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ClOps} and one {@link RefOps} (the oracle) shared by every OpenCL test of the JVM, so
 * each kernel program is built once per test run. Without an OpenCL platform the tests skip with a
 * loud message, unless {@code CONVCL_REQUIRE_OPENCL=1}: then they fail. Tests outside this package
 * (the backend-agreement training test) use it too, so the skip rule lives in one place.
 */
public final class ClTestSupport {
  private static final Logger LOG = LoggerFactory.getLogger(ClTestSupport.class);

  private static ClOps shared;
  private static RefOps oracle;
  private static String unavailable;

  private ClTestSupport() {}

  /** The shared OpenCL backend (GPU first, else the first device), or a skipped/failed test. */
  public static synchronized ClOps ops() {
    if (shared == null && unavailable == null) {
      try {
        shared = ClOps.open(preferred());
        Runtime.getRuntime().addShutdownHook(new Thread(ClTestSupport::closeAll));
        LOG.info("OpenCL tests run on {}", shared.name());
      } catch (OpenClUnavailableException e) {
        unavailable = e.getMessage();
      }
    }
    if (unavailable != null) {
      requireOrSkip(unavailable);
    }
    return shared;
  }

  /** The oracle of the differential tests: the double-precision reference backend. */
  public static synchronized RefOps ref() {
    if (oracle == null) {
      oracle = new RefOps();
    }
    return oracle;
  }

  /** Skips (loudly) or, with CONVCL_REQUIRE_OPENCL=1, fails because OpenCL is missing. */
  static void requireOrSkip(String why) {
    if (!Required.strict()) {
      LOG.warn("\n*****\nOpenCL TESTS SKIPPED: {}\n*****", why);
    }
    Required.that(false, "OpenCL is missing: " + why);
  }

  private static ClDeviceInfo preferred() {
    for (ClDeviceInfo d : ClDevices.list()) {
      if (d.isGpu()) {
        return d;
      }
    }
    return ClDevices.list().get(0);
  }

  private static synchronized void closeAll() {
    if (shared != null) {
      shared.close();
    }
    if (oracle != null) {
      oracle.close();
    }
  }
}
