package org.convcl.cl;

import java.nio.file.Path;

/**
 * Where ConvCL keeps what it may rebuild at any time (compiled program binaries): the system
 * property {@code convcl.cache.dir} if set, else the environment variable {@code CONVCL_CACHE_DIR},
 * else {@code ~/.cache/convcl}. Each user of the cache takes a subdirectory of it.
 */
public final class CacheDirectory {
  /** The system property that names the cache root; it wins over the environment variable. */
  public static final String PROPERTY = "convcl.cache.dir";

  /** The environment variable that names the cache root. */
  public static final String ENV = "CONVCL_CACHE_DIR";

  private CacheDirectory() {}

  /** The cache root, resolved now from the property, the environment and the home directory. */
  public static Path root() {
    String dir = System.getProperty(PROPERTY);
    if (dir == null || dir.isBlank()) {
      dir = System.getenv(ENV);
    }
    if (dir == null || dir.isBlank()) {
      return Path.of(System.getProperty("user.home"), ".cache", "convcl");
    }
    return Path.of(dir);
  }
}
