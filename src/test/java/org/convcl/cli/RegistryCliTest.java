package org.convcl.cli;

import static org.convcl.cli.CliTest.cpu;
import static org.convcl.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.convcl.cl.ClTestSupport;
import org.convcl.impl.Pass;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** devices, bench --model, train --profile and --impl from the command line. */
class RegistryCliTest {
  private static final String SMALL = "conv3x3x4-relu-maxpool2-conv3x3x6-relu-dense10";

  @TempDir Path dir;

  @Test
  void devicesListsEveryProvider() {
    CliTest.Result r = run("devices");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("cpu: the plain-Java backend"), r.out());
    assertTrue(r.out().contains("  cpu  plain Java"), r.out());
    assertTrue(r.out().contains("opencl: OpenCL kernels through JOCL"), r.out());
  }

  @Test
  void benchModelProfilesEachLayerAndPassOnTheCpu() {
    CliTest.Result r =
        cpu("bench", "--model", SMALL, "--input", "1x12x12", "--batch", "4", "--steps", "2");
    assertEquals(0, r.code(), r.err());
    for (String s :
        new String[] {"0 conv3x3x4", "3 conv3x3x6", "forward", "backward", "other", "step: "}) {
      assertTrue(r.out().contains(s), s + " in\n" + r.out());
    }
  }

  @Test
  void benchModelInferenceTimesForwardPassesOnly() {
    CliTest.Result r =
        cpu(
            "bench",
            "--model",
            SMALL,
            "--input",
            "1x12x12",
            "--inference",
            "--batch",
            "4",
            "--steps",
            "3");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("inference of "), r.out());
    assertTrue(r.out().contains("0 conv3x3x4              forward"), r.out());
    assertTrue(!r.out().contains("backward"), r.out());
    assertTrue(
        r.out().matches("(?s).*per batch of 4 \\(median of 3, no profiler\\), \\d+ images/s.*"),
        r.out());
  }

  @Test
  @Tag("opencl")
  void benchModelNamesTheImplementationsAndImplForcesOne() {
    String spec = ClTestSupport.ops().device().spec();
    CliTest.Result r =
        run(
            "bench",
            "--device",
            spec,
            "--model",
            SMALL,
            "--input",
            "1x12x12",
            "--batch",
            "4",
            "--steps",
            "2",
            "--impl",
            "convForward=conv_forward_v1:WG=32");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("conv_forward_v1 WG=32"), r.out());
    // The second convolution (4x5x5 after the pool, batch 4) keeps the choice table's pick.
    ConvGeometry second = ConvGeometry.of(4, 4, 5, 5, 6, ConvParams.of(3));
    String chosen =
        ClTestSupport.ops()
            .implementations()
            .orElseThrow()
            .choose(Pass.CONV_BACKWARD_INPUT, second)
            .choice()
            .label();
    assertTrue(r.out().contains(chosen), chosen + " in\n" + r.out());
    assertTrue(r.out().contains(" ms in kernels"), r.out());
    CliTest.Result bad = run("bench", "--device", spec, "--impl", "convForward=nope", "--quick");
    assertEquals(2, bad.code(), bad.out());
    assertTrue(bad.err().contains("convForward=nope: no such implementation"), bad.err());
  }

  @Test
  void implOnABackendWithoutChoicesIsAUsageError() {
    CliTest.Result r =
        run(
            "bench",
            "--device",
            "ref",
            "--model",
            SMALL,
            "--input",
            "1x12x12",
            "--steps",
            "1",
            "--impl",
            "convForward=conv_forward_v1");
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("has one implementation per op"), r.err());
  }

  @Test
  void trainProfilePrintsTheFirstStepsProfile() {
    CliTest.Result r =
        cpu(
            "train",
            "--model",
            "conv5x5x4-relu-maxpool2-dense10",
            "--epochs",
            "1",
            "--train-limit",
            "256",
            "--test-limit",
            "64",
            "--profile",
            "--no-progress",
            "--run-dir",
            dir.resolve("run").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("profile of the first steps"), r.out());
    assertTrue(r.out().contains("0 conv5x5x4"), r.out());
  }
}
