package org.convcl.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes one protobuf message in the wire format (developers.google.com/protocol-buffers/docs/
 * encoding): each field is a tag {@code (number << 3) | wire type} as a varint, then a varint (type
 * 0), 4 little-endian bytes (type 5) or a varint length and that many bytes (type 2: strings,
 * bytes, nested messages, packed repeated numbers). Only what ONNX's messages use.
 */
final class ProtoWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** An int64/int32/enum/bool field. */
  ProtoWriter varint(int field, long value) {
    tag(field, 0);
    raw(value);
    return this;
  }

  /** A float field. */
  ProtoWriter float32(int field, float value) {
    tag(field, 5);
    int bits = Float.floatToIntBits(value);
    for (int i = 0; i < 4; i++) {
      out.write(bits >>> (8 * i));
    }
    return this;
  }

  /** A string field, UTF-8. */
  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A bytes field. */
  ProtoWriter bytes(int field, byte[] value) {
    tag(field, 2);
    raw(value.length);
    out.writeBytes(value);
    return this;
  }

  /** A nested message. */
  ProtoWriter message(int field, ProtoWriter m) {
    return bytes(field, m.toByteArray());
  }

  /** A repeated int64 field, packed. */
  ProtoWriter packedVarints(int field, long... values) {
    ProtoWriter body = new ProtoWriter();
    for (long v : values) {
      body.raw(v);
    }
    return bytes(field, body.toByteArray());
  }

  /** Floats as little-endian bytes (TensorProto's raw_data, ONNX's usual form for weights). */
  static byte[] littleEndian(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b.array();
  }

  private void tag(int field, int wireType) {
    raw(((long) field << 3) | wireType);
  }

  /** A varint: 7 bits a byte, low bits first, the high bit set on all but the last byte. */
  private void raw(long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
