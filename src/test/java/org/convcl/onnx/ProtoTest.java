package org.convcl.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The protobuf wire format against bytes worked out by hand from the encoding rules. */
class ProtoTest {
  @Test
  void varintsStringsAndFloatsHaveTheirDocumentedBytes() {
    // Field 1 = 150: tag 0x08, then 150 = 0b1_0010110 -> 0x96 0x01 (the protobuf guide's example).
    assertArrayEquals(
        new byte[] {0x08, (byte) 0x96, 0x01}, new ProtoWriter().varint(1, 150).toByteArray());
    // Field 2 = "ab": tag 0x12 (2 << 3 | 2), length 2.
    assertArrayEquals(
        new byte[] {0x12, 2, 'a', 'b'}, new ProtoWriter().string(2, "ab").toByteArray());
    // Field 3 = 1.0f: tag 0x1d (3 << 3 | 5), then 0x3f800000 little-endian.
    assertArrayEquals(
        new byte[] {0x1d, 0, 0, (byte) 0x80, 0x3f}, new ProtoWriter().float32(3, 1f).toByteArray());
    // int64 -1 takes ten bytes: nine 0xff and a final 0x01.
    byte[] minusOne = new ProtoWriter().varint(1, -1).toByteArray();
    assertEquals(11, minusOne.length);
    assertEquals(-1, ProtoMessage.parse(minusOne).varint(1, 0));
  }

  @Test
  void repeatedNumbersReadPackedOrOnePerTag() {
    byte[] packed = new ProtoWriter().packedVarints(8, 5, 300, -2).toByteArray();
    assertArrayEquals(new long[] {5, 300, -2}, ProtoMessage.parse(packed).varints(8));
    byte[] loose = new ProtoWriter().varint(8, 5).varint(8, 300).varint(8, -2).toByteArray();
    assertArrayEquals(new long[] {5, 300, -2}, ProtoMessage.parse(loose).varints(8));
    byte[] floats = new ProtoWriter().float32(7, 0.5f).float32(7, -3f).toByteArray();
    assertArrayEquals(new float[] {0.5f, -3f}, ProtoMessage.parse(floats).floats(7));
    byte[] nested =
        new ProtoWriter().message(7, new ProtoWriter().string(1, "x")).varint(1, 9).toByteArray();
    ProtoMessage m = ProtoMessage.parse(nested);
    assertEquals("x", m.message(7).string(1, ""));
    assertEquals(9, m.varint(1, 0));
  }
}
