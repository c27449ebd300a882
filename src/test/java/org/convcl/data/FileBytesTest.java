package org.convcl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The gunzip buffer guess must stay a valid array size for large files. */
class FileBytesTest {
  @Test
  void initialCapacityNeverOverflows() {
    assertEquals(400, FileBytes.initialCapacity(100));
    assertEquals(Integer.MAX_VALUE - 8, FileBytes.initialCapacity(600L << 20));
    assertEquals(Integer.MAX_VALUE - 8, FileBytes.initialCapacity(Integer.MAX_VALUE));
  }
}
