package org.convcl.train;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.convcl.data.Normalization;
import org.convcl.tensor.Shape;

/**
 * The checkpoint file, version 2 (docs/checkpoint-format.md): big-endian, magic {@code CONVCLCK},
 * version, header fields, the epochs' metrics, tensors, then a CRC-32 of everything before it and
 * the end marker {@code CONVCLND}; version 1 (no metrics) is still read. Writing goes to a
 * temporary file in the same folder that is flushed, fsynced and atomically renamed over the
 * target, so a crash leaves either the old or the new checkpoint. Reading trusts nothing the file
 * says before checking it: the magic and version are read first, sizes are bounded by the file's
 * length, and the tensors must be what the stored spec declares before anyone builds that model.
 */
public final class CheckpointIO {
  static final byte[] MAGIC = "CONVCLCK".getBytes(StandardCharsets.US_ASCII);
  static final byte[] END = "CONVCLND".getBytes(StandardCharsets.US_ASCII);
  public static final int VERSION = 2;

  /** The first version that stores the epochs' metrics. */
  static final int FIRST_WITH_METRICS = 2;

  /** Magic, version and flags. */
  private static final int HEADER = MAGIC.length + 8;

  /** Checksum and end marker. */
  private static final int TRAILER = 16;

  private CheckpointIO() {}

  public static void write(Path file, Checkpoint c) throws IOException {
    AtomicFile.write(file, encode(c));
  }

  static byte[] encode(Checkpoint c) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(0); // flags, reserved
    string(out, c.spec());
    dims(out, c.inputItem());
    out.writeInt(c.classNames().size());
    for (String s : c.classNames()) {
      string(out, s);
    }
    floats(out, c.normalization().mean());
    floats(out, c.normalization().std());
    out.writeInt(c.epoch());
    out.writeLong(c.step());
    out.writeLong(c.seed());
    string(out, c.optimizer());
    out.writeLong(c.optimizerStep());
    out.writeInt(c.settings().size());
    for (Map.Entry<String, String> e : c.settings().entrySet()) {
      string(out, e.getKey());
      string(out, e.getValue());
    }
    out.writeInt(c.history().size());
    for (EpochMetrics m : c.history()) {
      string(out, m.csv());
    }
    out.writeInt(c.tensors().size());
    for (NamedArray a : c.tensors()) {
      string(out, a.name());
      dims(out, a.shape());
      for (float v : a.data()) {
        out.writeFloat(v);
      }
    }
    out.flush();
    CRC32 crc = new CRC32();
    crc.update(bytes.toByteArray());
    out.writeLong(crc.getValue());
    out.write(END);
    out.flush();
    return bytes.toByteArray();
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void dims(DataOutputStream out, Shape s) throws IOException {
    out.writeInt(s.rank());
    for (int d : s.dims()) {
      out.writeInt(d);
    }
  }

  private static void floats(DataOutputStream out, float[] a) throws IOException {
    out.writeInt(a.length);
    for (float v : a) {
      out.writeFloat(v);
    }
  }

  /**
   * Reads and verifies a checkpoint; any damage gives a {@link CheckpointException}. Only a regular
   * file is opened (a pipe or device would block or never end), its magic and version are checked
   * before the rest is read, and the rest is at most the file's length.
   */
  public static Checkpoint read(Path file) throws IOException {
    byte[] b = readBounded(file);
    int version = verifyFrame(file, b);
    ByteBuffer in = ByteBuffer.wrap(b, 0, b.length - TRAILER);
    in.position(HEADER);
    Checkpoint c;
    try {
      c = decode(file, in, version);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new CheckpointException(file, "corrupt contents (" + e.getMessage() + ")", e);
    }
    CheckpointSpecCheck.require(file, c);
    return c;
  }

  /** The whole file, once it is known to be a regular file that starts as a checkpoint does. */
  private static byte[] readBounded(Path file) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file, "no such checkpoint file", e);
    }
    if (attrs.isDirectory()) {
      throw new CheckpointException(file, "is a directory, not a checkpoint file");
    }
    if (!attrs.isRegularFile()) {
      throw new CheckpointException(
          file, "is not a regular file (a pipe, socket or device), so not a checkpoint");
    }
    long size = attrs.size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new CheckpointException(file, size + " bytes: larger than any checkpoint can be");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, HEADER));
      readFully(ch, head);
      verifyHeader(file, head.array(), size);
      ByteBuffer all = ByteBuffer.allocate((int) size);
      all.put(head.array());
      readFully(ch, all);
      if (ch.read(ByteBuffer.allocate(1)) > 0) {
        throw new CheckpointException(file, "grew while it was read");
      }
      return all.array();
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining() && ch.read(b) >= 0) {
      // keep reading: a channel may return fewer bytes than asked
    }
  }

  /** Magic and version, from the first bytes alone; {@code size} is the whole file's. */
  private static void verifyHeader(Path file, byte[] head, long size) throws CheckpointException {
    if (head.length >= MAGIC.length && !startsWith(head, MAGIC, 0)) {
      throw new CheckpointException(file, "not a ConvCL checkpoint (bad magic)");
    }
    if (size < HEADER + TRAILER || head.length < HEADER) {
      throw new CheckpointException(file, "truncated: only " + size + " bytes");
    }
    int version = ByteBuffer.wrap(head, MAGIC.length, 4).getInt();
    if (version < 1 || version > VERSION) {
      throw new CheckpointException(
          file,
          "format version "
              + version
              + " is not supported (this build reads versions 1 to "
              + VERSION
              + ")");
    }
  }

  /** End marker and checksum of the whole file; returns its format version. */
  private static int verifyFrame(Path file, byte[] b) throws CheckpointException {
    if (!startsWith(b, END, b.length - END.length)) {
      throw new CheckpointException(file, "truncated or damaged: the end marker is missing");
    }
    CRC32 crc = new CRC32();
    crc.update(b, 0, b.length - TRAILER);
    long stored = ByteBuffer.wrap(b, b.length - TRAILER, 8).getLong();
    if (stored != crc.getValue()) {
      throw new CheckpointException(
          file,
          String.format(
              "corrupt: checksum mismatch (stored %08x, computed %08x)", stored, crc.getValue()));
    }
    return ByteBuffer.wrap(b, MAGIC.length, 4).getInt();
  }

  private static boolean startsWith(byte[] b, byte[] prefix, int at) {
    if (at < 0 || at + prefix.length > b.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static Checkpoint decode(Path file, ByteBuffer in, int version)
      throws CheckpointException {
    String spec = string(in);
    Shape input = dims(in);
    int classes = count(in, 4);
    List<String> classNames = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      classNames.add(string(in));
    }
    Normalization norm = new Normalization(floats(in), floats(in));
    int epoch = in.getInt();
    long step = in.getLong();
    long seed = in.getLong();
    String optimizer = string(in);
    long optStep = in.getLong();
    int nSettings = count(in, 8);
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < nSettings; i++) {
      settings.put(string(in), string(in));
    }
    List<EpochMetrics> history = new ArrayList<>();
    if (version >= FIRST_WITH_METRICS) {
      int rows = count(in, 4);
      for (int i = 0; i < rows; i++) {
        history.add(MetricsCsv.parseRow(string(in)));
      }
    }
    int nTensors = count(in, 12);
    List<NamedArray> tensors = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < nTensors; i++) {
      String name = string(in);
      if (!names.add(name)) {
        throw new IllegalArgumentException("tensor " + name + " is stored twice");
      }
      Shape shape = dims(in);
      float[] data = new float[count(in, shape.size(), 4)];
      in.asFloatBuffer().get(data);
      in.position(in.position() + 4 * data.length);
      tensors.add(new NamedArray(name, shape, data));
    }
    if (in.hasRemaining()) {
      throw new CheckpointException(file, "corrupt: " + in.remaining() + " unread bytes");
    }
    return new Checkpoint(
        spec,
        input,
        classNames,
        norm,
        epoch,
        step,
        seed,
        optimizer,
        optStep,
        settings,
        tensors,
        history);
  }

  /** A count that must fit in what is left, each item taking at least {@code minBytes}. */
  private static int count(ByteBuffer in, int minBytes) {
    return count(in, in.getInt(), minBytes);
  }

  private static int count(ByteBuffer in, int n, int minBytes) {
    if (n < 0 || (long) n * minBytes > in.remaining()) {
      throw new IllegalArgumentException("a count of " + n + " exceeds the file");
    }
    return n;
  }

  private static String string(ByteBuffer in) {
    byte[] b = new byte[count(in, 1)];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static Shape dims(ByteBuffer in) {
    int rank = count(in, 4);
    int[] d = new int[rank];
    for (int i = 0; i < rank; i++) {
      d[i] = in.getInt();
    }
    return Shape.of(d);
  }

  private static float[] floats(ByteBuffer in) {
    float[] a = new float[count(in, 4)];
    for (int i = 0; i < a.length; i++) {
      a[i] = in.getFloat();
    }
    return a;
  }
}
