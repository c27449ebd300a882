package org.convcl.cpu;

import java.util.concurrent.ConcurrentHashMap;
import org.convcl.ops.HeapMemory;
import org.convcl.tensor.ConvGeometry;

/**
 * The matrix-product engine of one {@link CpuOps}: its thread pool, the {@link MicroKernel} this
 * JVM runs, the cache blocking, and one {@link GemmScratch} per worker. {@link #multiply} splits
 * C's rows and columns (never the inner dimension) into tasks over the pool; convolutions call
 * {@link #block} from their own tasks.
 */
final class CpuGemm {
  final Parallel parallel;
  final MicroKernel kernel;

  /** The direct convolution kernel: the SIMD one where {@link #kernel} is, else the scalar one. */
  final DirectConvKernel direct;

  final GemmBlocking blocking;
  private final GemmScratch[] scratch;
  private float[] shared = new float[0];
  private float[] packed = new float[0];
  private final ConcurrentHashMap<ConvGeometry, TapTable> tapTables = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ConvGeometry, DirectConvPlan> plans = new ConcurrentHashMap<>();

  /** Geometries whose tap tables (and direct plans) are kept; beyond that a cache starts over. */
  private static final int TAP_TABLES = 64;

  CpuGemm(Parallel parallel, MicroKernel kernel, GemmBlocking blocking) {
    this.parallel = parallel;
    this.kernel = kernel;
    this.direct = MicroKernels.direct(kernel);
    this.blocking = blocking;
    this.scratch = new GemmScratch[parallel.threads()];
    for (int w = 0; w < scratch.length; w++) {
      scratch[w] = new GemmScratch(blocking);
    }
  }

  /** An engine with the best kernel of this JVM and the blocking of this machine's caches. */
  static CpuGemm forMachine(Parallel parallel, MicroKernel kernel) {
    return new CpuGemm(parallel, kernel, GemmBlocking.derive(kernel, CacheSizes.detect()));
  }

  /** The {@link TapTable} of {@code g}, computed once per geometry (per batch size). */
  TapTable taps(ConvGeometry g) {
    TapTable t = tapTables.get(g);
    if (t == null) {
      if (tapTables.size() >= TAP_TABLES) {
        tapTables.clear();
      }
      t = TapTable.of(g);
      tapTables.put(g, t);
    }
    return t;
  }

  /** The {@link DirectConvPlan} of {@code g}, computed once per geometry (per batch size). */
  DirectConvPlan plan(ConvGeometry g) {
    DirectConvPlan p = plans.get(g);
    if (p == null) {
      if (plans.size() >= TAP_TABLES) {
        plans.clear();
      }
      p = DirectConvPlan.of(g);
      plans.put(g, p);
    }
    return p;
  }

  GemmScratch scratch(int worker) {
    return scratch[worker];
  }

  /**
   * A buffer shared by one call's tasks (each writes its own part), reused across calls; at least
   * {@code size} floats. Only the calling thread may ask for it, before starting the tasks.
   */
  float[] shared(int size) {
    if (shared.length < size) {
      shared = HeapMemory.floats(size, () -> "the CPU GEMM's shared partial sums");
    }
    return shared;
  }

  /**
   * Packs an {@code m x k} A for many {@link #block} calls into a buffer of this engine reused
   * across calls (one at a time: only the calling thread, before starting the tasks).
   */
  Sgemm.PackedA prepack(KPanel a, int m, int k, int copies, int copy) {
    int size = Sgemm.packedSize(blocking, m, k);
    if (packed.length < (long) size * copies) {
      packed = HeapMemory.floats((long) size * copies, () -> "the CPU GEMM's packed weights");
    }
    return Sgemm.prepack(blocking, a, m, k, packed, copy * size);
  }

  /** {@link Sgemm#block} with a prepacked A. */
  void block(
      int worker,
      Sgemm.PackedA a,
      KPanel b,
      int i0,
      int i1,
      int j0,
      int j1,
      int k,
      float[] c,
      int cOff,
      int ldc) {
    Sgemm.block(kernel, blocking, scratch[worker], a, b, i0, i1, j0, j1, k, c, cOff, ldc);
  }

  /** {@link Sgemm#block} on worker {@code worker}'s scratch. */
  void block(
      int worker,
      KPanel a,
      KPanel b,
      int i0,
      int i1,
      int j0,
      int j1,
      int k,
      float[] c,
      int cOff,
      int ldc) {
    Sgemm.block(kernel, blocking, scratch[worker], a, b, i0, i1, j0, j1, k, c, cOff, ldc);
  }

  /**
   * The number of tasks {@link #multiply} cuts the longer side of C into: one per thread, so each
   * task packs the operand it shares with the others only once per thread, and the tiles are dealt
   * out evenly ({@link #split}) so no thread waits for a longer last block.
   */
  private int taskBlocks(int tiles) {
    return Math.max(1, Math.min(tiles, parallel.threads()));
  }

  /** The first register tile of block {@code b} of {@code blocks} over {@code tiles} tiles. */
  static int split(int tiles, int blocks, int b) {
    return (int) ((long) tiles * b / blocks);
  }

  /**
   * {@code C[i][j] = start[j] + sum_t A(i, t) B(t, j)} for {@code i < m, j < n, t < k} ({@code
   * start} null: 0), C row-major from {@code cOff} with row stride {@code ldc}, split into row and
   * column blocks over the pool; {@code epilogue} (null: none) is applied to each task's block of C
   * once it is done. Each task first writes the start values of its own block, so no serial pass
   * over C precedes the product (a dense layer's weight gradient, 400,000 floats in LeNet, was
   * cleared on the calling thread alone while the helper waited).
   */
  synchronized void multiply(
      int m,
      int n,
      int k,
      KPanel a,
      KPanel b,
      float[] start,
      float[] c,
      int cOff,
      int ldc,
      org.convcl.ops.Activation epilogue) {
    int mr = blocking.mr();
    int nr = blocking.nr();
    int rowTiles = (m + mr - 1) / mr;
    int colTiles = (n + nr - 1) / nr;
    int blocks = taskBlocks(Math.max(rowTiles, colTiles));
    int rowBlocks = colTiles >= rowTiles ? 1 : blocks;
    int colBlocks = colTiles >= rowTiles ? blocks : 1;
    parallel.forEachWorker(
        rowBlocks * colBlocks,
        (long) m * n / (rowBlocks * colBlocks) * k,
        (task, worker) -> {
          int rbi = task / colBlocks;
          int cbi = task % colBlocks;
          int i0 = Math.min(m, split(rowTiles, rowBlocks, rbi) * mr);
          int i1 = Math.min(m, split(rowTiles, rowBlocks, rbi + 1) * mr);
          int j0 = Math.min(n, split(colTiles, colBlocks, cbi) * nr);
          int j1 = Math.min(n, split(colTiles, colBlocks, cbi + 1) * nr);
          for (int i = i0; i < i1; i++) {
            int row = cOff + i * ldc;
            if (start == null) {
              java.util.Arrays.fill(c, row + j0, row + j1, 0f);
            } else {
              System.arraycopy(start, j0, c, row + j0, j1 - j0);
            }
          }
          block(worker, a, b, i0, i1, j0, j1, k, c, cOff + i0 * ldc + j0, ldc);
          GemmEpilogue.apply(epilogue, c, cOff + i0 * ldc + j0, i1 - i0, j1 - j0, ldc);
        });
  }
}
