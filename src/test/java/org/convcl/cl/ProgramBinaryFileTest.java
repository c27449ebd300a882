package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk side of the program binary cache, without a device: keys, the file round trip, and
 * every kind of damage being ignored rather than handed to the driver.
 */
class ProgramBinaryFileTest {
  @TempDir Path root;

  private final byte[] binary = "a compiled program, in some vendor format".getBytes();

  private ProgramBinaryCache cache() {
    return new ProgramBinaryCache(root, "device\0OpenCL 3.0\0driver 1.0\0platform");
  }

  @Test
  void aStoredBinaryLoadsBack() throws IOException {
    ProgramBinaryCache c = cache();
    byte[] key = c.key("__kernel void k() {}", "-DX=1");
    assertTrue(c.load(key).isEmpty());
    c.store(key, binary);
    assertTrue(Files.exists(c.file(key)));
    assertEquals(root.resolve("programs"), c.file(key).getParent());
    assertArrayEquals(binary, c.load(key).orElseThrow());
    try (var files = Files.list(c.directory())) {
      assertEquals(1, files.count(), "no temporary file may be left behind");
    }
  }

  @Test
  void theKeyCoversSourceOptionsAndDevice() {
    ProgramBinaryCache c = cache();
    byte[] key = c.key("source", "-DX=1");
    assertFalse(Arrays.equals(key, c.key("source ", "-DX=1")));
    assertFalse(Arrays.equals(key, c.key("source", "-DX=2")));
    ProgramBinaryCache newDriver =
        new ProgramBinaryCache(root, "device\0OpenCL 3.0\0driver 1.1\0platform");
    assertFalse(Arrays.equals(key, newDriver.key("source", "-DX=1")));
    assertNotEquals(c.file(key), newDriver.file(newDriver.key("source", "-DX=1")));
  }

  @Test
  void aDamagedFileIsIgnored() throws IOException {
    ProgramBinaryCache c = cache();
    byte[] key = c.key("source", "");
    c.store(key, binary);
    Path f = c.file(key);
    byte[] good = Files.readAllBytes(f);

    byte[] flipped = good.clone();
    flipped[good.length - 20] ^= 1; // inside the binary: only the checksum sees it
    Files.write(f, flipped);
    assertTrue(c.load(key).isEmpty(), "checksum");

    Files.write(f, Arrays.copyOf(good, good.length - 3));
    assertTrue(c.load(key).isEmpty(), "truncated");

    Files.write(f, "garbage".getBytes());
    assertTrue(c.load(key).isEmpty(), "bad magic");

    byte[] otherKey = c.key("other source", "");
    Files.write(c.file(otherKey), good); // a file renamed onto another key
    assertTrue(c.load(otherKey).isEmpty(), "another program's binary");

    c.store(key, binary);
    assertArrayEquals(binary, c.load(key).orElseThrow(), "a fresh store replaces the damage");
  }

  @Test
  void anUnwritableCacheOnlyCostsTheSpeedUp() throws IOException {
    Path notADirectory = Files.writeString(root.resolve("file"), "x");
    ProgramBinaryCache c = new ProgramBinaryCache(notADirectory, "device");
    byte[] key = c.key("source", "");
    c.store(key, binary); // logged, not thrown
    assertTrue(c.load(key).isEmpty());
  }
}
