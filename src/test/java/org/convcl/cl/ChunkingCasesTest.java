package org.convcl.cl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.convcl.tensor.ConvGeometry;
import org.junit.jupiter.api.Test;

/**
 * {@code ConvKernels.chunkLength}'s branches, and that {@link ConvCases#chunking()} still reaches
 * them (so the differential test covers the capped reductions and mid-row chunk boundaries). Pure
 * arithmetic: no OpenCL device needed.
 */
class ChunkingCasesTest {

  private static int chunks(int total, int chunkLen) {
    return Chunks.count(total, chunkLen);
  }

  @Test
  void chunkMathHoldsAtTheLargestTotal() {
    // (total + len - 1) / len wrapped negative here before the host used long arithmetic.
    int total = Integer.MAX_VALUE;
    int len = ConvKernels.chunkLength(total, 1, 32);
    assertEquals(1 << 25, len, "64 chunks of ceil((2^31 - 1) / 64)");
    assertEquals(64, chunks(total, len));
    assertEquals(1 << 23, chunks(total, 256), "sum's chunk count for SUM_CHUNK = 256");
    assertEquals(1, chunks(total, total));
    assertCovers(total, len);
    assertCovers(total, 256);
    assertCovers(total - 1, 1 << 30);
  }

  /**
   * The kernels' chunk bounds, {@code q0 = j*chunkLen}, {@code q1 = q0 + min(chunkLen, total -
   * q0)}, evaluated in int as the kernels do: the chunks must tile {@code [0, total)} exactly.
   */
  private static void assertCovers(int total, int len) {
    int n = chunks(total, len);
    int expectStart = 0;
    for (int j = 0; j < n; j++) {
      int q0 = j * len;
      int q1 = q0 + Math.min(len, total - q0);
      assertEquals(expectStart, q0, "chunk " + j + " start");
      assertTrue(q1 > q0, "chunk " + j + " is empty: [" + q0 + ", " + q1 + ")");
      expectStart = q1;
    }
    assertEquals(total, expectStart, "the last chunk ends at the total");
  }

  @Test
  void smallReductionsUseOneChunkPerMinimumAndAtLeastOne() {
    assertEquals(10, ConvKernels.chunkLength(10, 5, 32), "fewer terms than one chunk: one chunk");
    assertEquals(32, ConvKernels.chunkLength(320, 5, 32), "ten chunks of the minimum length");
  }

  @Test
  void theChunkCountIsCappedByMaxChunksAndByThePartialBuffer() {
    assertEquals(64, chunks(10_000, ConvKernels.chunkLength(10_000, 5, 32)));
    // 2^23 floats / 200,000 outputs = 41 chunks at most.
    assertEquals(41, chunks(10_000, ConvKernels.chunkLength(10_000, 200_000, 32)));
  }

  @Test
  void theChunkingCasesHitTheCapsWithBoundariesMidRow() {
    List<ConvGeometry> cases = ConvCases.chunking();
    ConvGeometry manyChunks = cases.get(0);
    int terms = manyChunks.n() * manyChunks.outH() * manyChunks.outW();
    int len = ConvKernels.chunkLength(terms, manyChunks.weightShape().size(), 32);
    assertEquals(64, chunks(terms, len), "v1 terms: MAX_CHUNKS");
    assertNotEquals(0, len % manyChunks.outW(), "v1 chunk boundaries fall inside a row");
    int rows = manyChunks.n() * manyChunks.outH();
    // v2 rows (at least one per chunk since outW >= 32): 90 wanted, capped at 64, so 2 per chunk.
    assertEquals(90, rows);
    assertEquals(2, ConvKernels.chunkLength(rows, 54, 1), "v2 rows: MAX_CHUNKS");

    ConvGeometry bigFilter = cases.get(1);
    int weights = bigFilter.weightShape().size();
    int bigTerms = bigFilter.n() * bigFilter.outH() * bigFilter.outW();
    int bigLen = ConvKernels.chunkLength(bigTerms, weights, 32);
    assertEquals((1 << 23) / weights, chunks(bigTerms, bigLen), "v1: MAX_PARTIAL_FLOATS");
    assertNotEquals(0, bigLen % bigFilter.outW(), "v1 chunk boundaries fall inside a row");
  }
}
