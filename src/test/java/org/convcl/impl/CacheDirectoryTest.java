package org.convcl.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the cache is: the property, then the environment, then XDG, then home. */
class CacheDirectoryTest {
  private static Path resolve(Map<String, String> env, Map<String, String> props) {
    return CacheDirectory.resolve(env::get, props::get);
  }

  @Test
  void thePropertyWinsThenTheEnvironmentThenXdgThenHome() {
    Map<String, String> home = Map.of("user.home", "/home/u");
    assertEquals(
        Path.of("/p"),
        resolve(
            Map.of("CONVCL_CACHE_DIR", "/e"),
            Map.of("convcl.cache.dir", "/p", "user.home", "/home/u")));
    assertEquals(Path.of("/e"), resolve(Map.of("CONVCL_CACHE_DIR", "/e"), home));
    assertEquals(Path.of("/x/convcl"), resolve(Map.of("XDG_CACHE_HOME", "/x"), home));
    assertEquals(Path.of("/home/u/.cache/convcl"), resolve(Map.of(), home));
    assertEquals(Path.of("/home/u/.cache/convcl"), resolve(Map.of("CONVCL_CACHE_DIR", " "), home));
  }
}
