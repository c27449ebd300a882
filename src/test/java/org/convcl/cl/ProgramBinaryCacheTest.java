package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Program binaries really come back from the disk cache on a device: a second ProgramCache (as in a
 * second process) loads the program without the compiler, and its kernels work; a corrupt cache
 * file falls back to the source and is replaced. Each test uses its own temporary cache root.
 */
@Tag("opencl")
class ProgramBinaryCacheTest {
  @TempDir Path root;

  private static final String FILE = "elementwise.cl";

  private static ClRuntime runtime() {
    ClDeviceInfo d = ClTestSupport.ops().device(); // skips or fails without OpenCL
    return new ClRuntime(ClDevices.find(d.platformIndex(), d.deviceIndex()));
  }

  /** A kernel used as often as a program must be to have its binary kept. */
  private static ProgramCache.Kernel anyKernel(ProgramCache cache) {
    ProgramCache.Kernel k = null;
    for (int i = 0; i < ProgramCache.USES_TO_KEEP; i++) {
      k = cache.kernel(FILE, "", "fill_v1");
    }
    return k;
  }

  @Test
  void aSecondCacheLoadsTheBinaryInsteadOfCompiling() {
    try (ClRuntime rt = runtime()) {
      ProgramBinaryCache disk = new ProgramBinaryCache(root, rt.info(), rt.device());
      try (ProgramCache first = new ProgramCache(rt, disk)) {
        anyKernel(first);
        assertEquals(0, first.binaryCacheHits(), "an empty cache: built from source");
      }
      try (ProgramCache second = new ProgramCache(rt, disk)) {
        ProgramCache.Kernel k = anyKernel(second);
        assertEquals(1, second.binaryCacheHits(), "the binary stored by the first build");
        assertTrue(k.maxGroup() > 0, "a usable kernel from the loaded binary");
      }
    }
  }

  @Test
  void aProgramUsedOnlyAFewTimesIsNotKept() throws IOException {
    try (ClRuntime rt = runtime()) {
      ProgramBinaryCache disk = new ProgramBinaryCache(root, rt.info(), rt.device());
      try (ProgramCache first = new ProgramCache(rt, disk)) {
        for (int i = 0; i < ProgramCache.USES_TO_KEEP - 1; i++) {
          first.kernel(FILE, "", "fill_v1");
        }
      }
      try (ProgramCache second = new ProgramCache(rt, disk)) {
        second.kernel(FILE, "", "fill_v1");
        assertEquals(0, second.binaryCacheHits(), "a tuning candidate's program is not kept");
      }
    }
  }

  @Test
  void aCorruptCacheFileFallsBackToTheSourceAndIsReplaced() throws IOException {
    try (ClRuntime rt = runtime()) {
      ProgramBinaryCache disk = new ProgramBinaryCache(root, rt.info(), rt.device());
      try (ProgramCache first = new ProgramCache(rt, disk)) {
        anyKernel(first);
      }
      Path file;
      try (var files = Files.list(disk.directory())) {
        file = files.filter(f -> f.toString().endsWith(".bin")).findFirst().orElseThrow();
      }
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 0x5a;
      Files.write(file, bytes);
      try (ProgramCache second = new ProgramCache(rt, disk)) {
        anyKernel(second);
        assertEquals(0, second.binaryCacheHits(), "the damaged binary must not be used");
      }
      try (ProgramCache third = new ProgramCache(rt, disk)) {
        anyKernel(third);
        assertEquals(1, third.binaryCacheHits(), "the rebuild stored a good binary again");
      }
    }
  }

  @Test
  void aBinaryTheDriverRefusesFallsBackToTheSource() {
    try (ClRuntime rt = runtime()) {
      ProgramBinaryCache disk = new ProgramBinaryCache(root, rt.info(), rt.device());
      String source = KernelSource.program(FILE, KernelSource.read(FILE));
      // a well-formed cache file whose payload is no binary at all
      disk.store(disk.key(source, ""), "not a device binary".getBytes());
      try (ProgramCache cache = new ProgramCache(rt, disk)) {
        anyKernel(cache);
        assertEquals(0, cache.binaryCacheHits());
        assertEquals(1, cache.programCount());
      }
    }
  }
}
