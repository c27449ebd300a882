package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.convcl.testutil.Required;
import org.junit.jupiter.api.Test;

/**
 * The test JVMs run with signal chaining (pom.xml preloads libjsig for surefire and its child
 * JVMs), and SignalChaining sees it: without it PoCL's signal handlers killed test JVMs with
 * SIGSEGV.
 */
class SignalChainingTest {
  @Test
  void testJvmsChainTheirSignalHandlers() {
    Required.that(Files.isReadable(Path.of("/proc/self/maps")), "Linux (/proc/self/maps)");
    assertTrue(
        SignalChaining.chained(),
        "libjsig is not loaded; LD_PRELOAD=" + System.getenv("LD_PRELOAD"));
  }
}
