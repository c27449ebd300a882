package org.convcl.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One decoded protobuf message: every field's values by field number, in file order (varints and
 * fixed-width numbers as longs, length-delimited fields as bytes). The typed getters know how a
 * repeated number may be packed or not. Malformed input fails with {@link OnnxException}, never
 * with an index error.
 */
final class ProtoMessage {
  private final Map<Integer, List<Object>> fields = new LinkedHashMap<>();

  private ProtoMessage() {}

  static ProtoMessage parse(byte[] b) {
    ProtoMessage m = new ProtoMessage();
    Cursor c = new Cursor(b, 0, b.length);
    while (c.pos < c.end) {
      long tag = c.varint();
      int field = (int) (tag >>> 3);
      int type = (int) (tag & 7);
      Object value =
          switch (type) {
            case 0 -> c.varint();
            case 1 -> c.fixed(8);
            case 2 -> c.take((int) c.length());
            case 5 -> c.fixed(4);
            default -> throw new OnnxException("unsupported protobuf wire type " + type);
          };
      m.fields.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
    }
    return m;
  }

  boolean has(int field) {
    return fields.containsKey(field);
  }

  private List<Object> all(int field) {
    return fields.getOrDefault(field, List.of());
  }

  /** The last value of a varint field, or {@code dflt}. */
  long varint(int field, long dflt) {
    List<Object> v = all(field);
    return v.isEmpty() ? dflt : number(v.get(v.size() - 1));
  }

  /** A float field (wire type 5), or {@code dflt}. */
  float float32(int field, float dflt) {
    List<Object> v = all(field);
    return v.isEmpty() ? dflt : Float.intBitsToFloat((int) number(v.get(v.size() - 1)));
  }

  String string(int field, String dflt) {
    List<Object> v = all(field);
    return v.isEmpty() ? dflt : new String(bytes(v.get(v.size() - 1)), StandardCharsets.UTF_8);
  }

  List<String> strings(int field) {
    List<String> out = new ArrayList<>();
    for (Object o : all(field)) {
      out.add(new String(bytes(o), StandardCharsets.UTF_8));
    }
    return out;
  }

  byte[] bytes(int field) {
    List<Object> v = all(field);
    return v.isEmpty() ? new byte[0] : bytes(v.get(v.size() - 1));
  }

  ProtoMessage message(int field) {
    List<Object> v = all(field);
    return v.isEmpty() ? null : parse(bytes(v.get(v.size() - 1)));
  }

  List<ProtoMessage> messages(int field) {
    List<ProtoMessage> out = new ArrayList<>();
    for (Object o : all(field)) {
      out.add(parse(bytes(o)));
    }
    return out;
  }

  /** A repeated int64 field, packed or one value per tag. */
  long[] varints(int field) {
    List<Long> out = new ArrayList<>();
    for (Object o : all(field)) {
      if (o instanceof byte[] packed) {
        Cursor c = new Cursor(packed, 0, packed.length);
        while (c.pos < c.end) {
          out.add(c.varint());
        }
      } else {
        out.add((Long) o);
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** A repeated float field, packed or one value per tag. */
  float[] floats(int field) {
    List<Float> out = new ArrayList<>();
    for (Object o : all(field)) {
      if (o instanceof byte[] packed) {
        for (float f : littleEndianFloats(packed)) {
          out.add(f);
        }
      } else {
        out.add(Float.intBitsToFloat((int) (long) (Long) o));
      }
    }
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  static float[] littleEndianFloats(byte[] b) {
    if (b.length % 4 != 0) {
      throw new OnnxException("float data of " + b.length + " bytes is not a multiple of 4");
    }
    float[] f = new float[b.length / 4];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
    return f;
  }

  private static long number(Object o) {
    if (o instanceof Long l) {
      return l;
    }
    throw new OnnxException("a number field holds bytes");
  }

  private static byte[] bytes(Object o) {
    if (o instanceof byte[] b) {
      return b;
    }
    throw new OnnxException("a bytes or message field holds a number");
  }

  /** A read position in a byte range. */
  private static final class Cursor {
    private final byte[] b;
    private int pos;
    private final int end;

    Cursor(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw new OnnxException("truncated varint at byte " + pos);
        }
        int x = b[pos++] & 0xff;
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new OnnxException("varint longer than 10 bytes at byte " + pos);
    }

    long length() {
      long n = varint();
      if (n < 0 || n > end - pos) {
        throw new OnnxException("a field of " + n + " bytes overruns its message at byte " + pos);
      }
      return n;
    }

    long fixed(int width) {
      if (end - pos < width) {
        throw new OnnxException("truncated fixed-width field at byte " + pos);
      }
      long v = 0;
      for (int i = 0; i < width; i++) {
        v |= (b[pos++] & 0xffL) << (8 * i);
      }
      return v;
    }

    byte[] take(int n) {
      byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }
  }
}
