package org.convcl.cli;

import static org.convcl.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convcl.cl.ClTestSupport;
import org.convcl.impl.CacheDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** convcl tune and convcl doctor from the command line. */
class TuneAndDoctorCliTest {
  private static final Path TABLE = CacheDirectory.resolve().resolve("choices/opencl.json");

  /** The tuned table would steer every later test's choices: each test starts and ends without. */
  @AfterEach
  void removeTheTunedTable() throws IOException {
    Files.deleteIfExists(TABLE);
  }

  @Test
  @Tag("opencl")
  void tuneWritesTheTableAndPrintsEachLayerBeforeAndAfter() throws IOException {
    Files.deleteIfExists(TABLE);
    CliTest.Result r =
        run(
            "tune",
            "--device",
            ClTestSupport.ops().device().spec(),
            "--model",
            "conv3x3x4-relu-conv3x3x4-flatten-dense10",
            "--input",
            "1x9x9",
            "--batch",
            "4",
            "--budget",
            "5",
            "--no-progress");
    assertEquals(0, r.code(), r.err());
    for (String s :
        new String[] {
          "before", "after", "speed-up", "conv3x3x4 #1", "conv3x3x4 #2", "dense10 #3", "(shipped)"
        }) {
      assertTrue(r.out().contains(s), s + " in\n" + r.out());
    }
    assertTrue(r.out().contains("choice table: " + TABLE), r.out());
    String json = Files.readString(TABLE);
    assertTrue(json.contains("\"format\": \"convcl-choices\""), json);
    assertTrue(json.contains("\"shape\": \"c1 h9 w9 k4 r3x3"), json);
    assertTrue(json.contains("\"pass\": \"convBackwardInput\""), json);
  }

  @Test
  void tuneOnABackendWithoutChoicesIsAUsageError() {
    CliTest.Result r = run("tune", "--device", "ref", "--budget", "1");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("there is nothing to tune"), r.err());
  }

  @Test
  void tuneOnTheCpuBackendChoosesAmongItsLowerings() throws IOException {
    Path table = CacheDirectory.resolve().resolve("choices/cpu.json");
    try {
      CliTest.Result r =
          run(
              "tune",
              "--device",
              "cpu",
              "--model",
              "conv3x3x4-relu-conv1x1x4-flatten-dense10",
              "--input",
              "1x9x9",
              "--batch",
              "4",
              "--budget",
              "5",
              "--no-progress");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("im2col"), r.out());
      assertTrue(Files.readString(table).contains("\"pass\": \"convForward\""));
    } finally {
      Files.deleteIfExists(table);
    }
  }

  @Test
  void doctorChecksEveryOpOnTheCpuBackend() {
    CliTest.Result r = run("doctor", "--device", "cpu");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("ok "), r.out());
    assertTrue(r.out().contains("maxPoolBackward 3x3 s2"), r.out());
    assertTrue(r.out().contains("doctor: every check passed on every device"), r.out());
  }
}
