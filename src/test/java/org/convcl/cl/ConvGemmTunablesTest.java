package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.convcl.cl.ConvGemmKernels.Pass;
import org.convcl.tensor.ConvGeometry;
import org.convcl.tensor.ConvParams;
import org.junit.jupiter.api.Test;

/** The tunables' rules of conv_igemm.cl, without a device: legal values, divisibility, limits. */
class ConvGemmTunablesTest {
  private static final ConvGeometry G = ConvGeometry.of(2, 8, 9, 9, 16, ConvParams.of(3));

  /** A GPU-like device: 256 work-items, 48 KiB of local memory. */
  private static ClDeviceInfo device(long maxGroup, long localBytes) {
    return new ClDeviceInfo(
        0,
        "p",
        0,
        "test device",
        "v",
        "GPU",
        8,
        1L << 32,
        localBytes,
        1L << 30,
        maxGroup,
        "1.2",
        false,
        false);
  }

  private static final ClDeviceInfo GPU = device(256, 48 << 10);

  private static String why(Pass p, Map<String, Integer> t, ClDeviceInfo d) {
    Optional<String> r = ConvGemmKernels.rejection(p, G, d, t);
    assertTrue(r.isPresent(), t + " must be rejected");
    return r.get();
  }

  @Test
  void defaultsApplyEverywhereOnATypicalGpu() {
    for (Pass p : Pass.values()) {
      assertEquals(Optional.empty(), ConvGemmKernels.rejection(p, G, GPU, Map.of()), p.toString());
    }
  }

  @Test
  void optionsListEveryTunableInOrderWithDefaultsFilledIn() {
    String o = ConvGemmKernels.options(Pass.FORWARD, Map.of("NWG", 128));
    assertTrue(o.startsWith("-DMWG=64 -DNWG=128 -DKWG="), o);
    for (org.convcl.impl.Tunable t : ConvGemmKernels.tunables(Pass.FORWARD)) {
      assertTrue(o.contains("-D" + t.name() + "="), t.name() + " in " + o);
      assertTrue(t.legal().contains(t.defaultValue()), t + " default must be legal");
    }
  }

  @Test
  void rejectionsNameTheTunableAndTheValue() {
    assertTrue(why(Pass.FORWARD, Map.of("VWN", 3), GPU).contains("VWN = 3"));
    assertTrue(why(Pass.FORWARD, Map.of("MWG", 24, "MDIMC", 16), GPU).contains("MWG = 24"));
    assertTrue(
        why(Pass.FORWARD, Map.of("NWG", 32, "NDIMC", 8, "VWN", 8), GPU).contains("NWG = 32"));
    assertTrue(why(Pass.FORWARD, Map.of("KWG", 8, "KWI", 16), GPU).contains("KWI = 16"));
    assertTrue(
        why(Pass.BACKWARD_INPUT, Map.of("MDIMC", 32, "NDIMC", 16, "MWG", 64, "NWG", 128), GPU)
            .contains("CL_DEVICE_MAX_WORK_GROUP_SIZE = 256"));
    assertTrue(
        why(Pass.BACKWARD_FILTER, Map.of("KWG", 64, "MWG", 128, "NWG", 128, "MDIMC", 16), GPU)
            .contains("CL_DEVICE_LOCAL_MEM_SIZE"));
    assertTrue(why(Pass.FORWARD, Map.of("TILE", 8), GPU).contains("unknown tunable TILE"));
  }

  @Test
  void localMemoryCountsOnlyTheStagedTiles() {
    Map<String, Integer> staged =
        ConvGemmKernels.resolve(
            Pass.FORWARD, Map.of("KWG", 64, "MWG", 128, "NWG", 128, "MDIMC", 16));
    Map<String, Integer> direct =
        ConvGemmKernels.resolve(
            Pass.FORWARD, Map.of("KWG", 64, "MWG", 128, "NWG", 128, "MDIMC", 16, "SA", 0, "SB", 0));
    assertEquals(4L * 64 * 256 + 16 * (64 + 128), ConvGemmKernels.localBytes(staged));
    assertEquals(16L * (64 + 128), ConvGemmKernels.localBytes(direct));
    assertFalse(ConvGemmKernels.applies(Pass.FORWARD, G, GPU, staged));
    assertTrue(ConvGemmKernels.applies(Pass.FORWARD, G, GPU, direct));
  }

  @Test
  void launchingARejectedSettingFailsBeforeAnyDeviceWork() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConvGemmKernels.resolve(Pass.FORWARD, Map.of("BOGUS", 1)));
    assertTrue(e.getMessage().contains("BOGUS"), e.getMessage());
  }

  /** The filter gradient's chunking is a function of the shapes alone, never of the tunables. */
  @Test
  void filterChunksDependOnTheShapesOnly() {
    ConvGeometry big = ConvGeometry.of(32, 128, 28, 28, 128, ConvParams.of(3).withPadding(1));
    int chunks = ConvGemmKernels.chunks(big);
    assertTrue(chunks > 1 && chunks <= 64, "chunks " + chunks);
    assertTrue(ConvGemmKernels.chunkLength(big) >= ConvGemmKernels.FILTER_MIN_CHUNK);
    assertEquals(1, ConvGemmKernels.chunks(ConvGeometry.of(1, 2, 5, 5, 3, ConvParams.of(3))));
  }
}
