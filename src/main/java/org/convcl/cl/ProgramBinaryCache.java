package org.convcl.cl;

import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32;
import org.convcl.impl.CacheDirectory;
import org.jocl.cl_device_id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled program binaries of one device on disk, so a second start skips the OpenCL compiler. A
 * binary is stored under {@code <cache root>/programs/<key>.bin}, where the key is the SHA-256 of
 * everything the compiler's output depends on: the full source (common.cl included), the build
 * options, the device name and OpenCL version, the driver version and the platform name. A new
 * driver, device, kernel source or option therefore never meets an old binary.
 *
 * <p>File: magic {@code CONVCLPB}, format version (i32), the key (32 bytes), the binary's length
 * (i32) and bytes, CRC-32 of everything before it (i64), all big-endian. A file that is unreadable,
 * truncated, for another key or with a wrong checksum is ignored with a log line (the caller then
 * builds from source and stores a fresh one). Writes go to a temporary file in the same directory,
 * then an atomic rename, so a reader never sees half a file. A cache directory that cannot be
 * written only costs the speed-up.
 */
final class ProgramBinaryCache {
  private static final Logger LOG = LoggerFactory.getLogger(ProgramBinaryCache.class);
  private static final byte[] MAGIC = "CONVCLPB".getBytes(StandardCharsets.US_ASCII);
  private static final int FORMAT = 1;
  private static final int HEADER = MAGIC.length + 4 + 32 + 4;
  private static final int TRAILER = 8;

  private final Path dir;
  private final String deviceIdentity;

  /** The cache of {@code device} under {@code root}/programs. */
  ProgramBinaryCache(Path root, ClDeviceInfo info, cl_device_id device) {
    this(
        root,
        String.join(
            "\0",
            info.name(),
            ClDevices.string(device, CL_DEVICE_VERSION),
            ClDevices.string(device, CL_DRIVER_VERSION),
            info.platformName()));
  }

  /** The cache under {@code root}/programs for a device described by {@code deviceIdentity}. */
  ProgramBinaryCache(Path root, String deviceIdentity) {
    this.dir = root.resolve("programs");
    this.deviceIdentity = deviceIdentity;
  }

  Path directory() {
    return dir;
  }

  /** The key of a program: SHA-256 over the device identity, the options and the source. */
  byte[] key(String source, String options) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(deviceIdentity.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(options.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(source.getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  Path file(byte[] key) {
    return dir.resolve(HexFormat.of().formatHex(key) + ".bin");
  }

  /** The stored binary of {@code key}, or empty when there is none or it is damaged. */
  Optional<byte[]> load(byte[] key) {
    Path f = file(key);
    byte[] b;
    try {
      b = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.info("ignoring the unreadable program cache file {}: {}", f, e.toString());
      return Optional.empty();
    }
    String damage = damage(b, key);
    if (damage != null) {
      LOG.info("ignoring the program cache file {}: {}; rebuilding from source", f, damage);
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOfRange(b, HEADER, b.length - TRAILER));
  }

  /** Why {@code b} is not a valid cache file for {@code key}, or null when it is. */
  private static String damage(byte[] b, byte[] key) {
    if (b.length < HEADER + TRAILER || !Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return "not a program cache file (bad magic or too short)";
    }
    ByteBuffer in = ByteBuffer.wrap(b);
    in.position(MAGIC.length);
    int format = in.getInt();
    if (format != FORMAT) {
      return "format " + format + " is not " + FORMAT;
    }
    byte[] stored = new byte[32];
    in.get(stored);
    if (!Arrays.equals(stored, key)) {
      return "it holds another program";
    }
    int length = in.getInt();
    if (length != b.length - HEADER - TRAILER) {
      return "truncated (" + (b.length - HEADER - TRAILER) + " of " + length + " bytes)";
    }
    CRC32 crc = new CRC32();
    crc.update(b, 0, b.length - TRAILER);
    long expected = ByteBuffer.wrap(b, b.length - TRAILER, TRAILER).getLong();
    if (crc.getValue() != expected) {
      return "checksum mismatch";
    }
    return null;
  }

  /** Stores {@code binary} for {@code key}; a failure is logged and otherwise ignored. */
  void store(byte[] key, byte[] binary) {
    Path f = file(key);
    try {
      CacheDirectory.writeAtomically(f, encode(key, binary));
      LOG.debug("stored {} bytes of program binary in {}", binary.length, f);
    } catch (IOException | UnsupportedOperationException e) {
      LOG.info("could not store the program binary {}: {}", f, e.toString());
    }
  }

  private static byte[] encode(byte[] key, byte[] binary) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + binary.length + TRAILER);
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MAGIC);
    out.writeInt(FORMAT);
    out.write(key);
    out.writeInt(binary.length);
    out.write(binary);
    out.flush();
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    out.writeLong(crc.getValue());
    out.flush();
    return bytes.toByteArray();
  }
}
