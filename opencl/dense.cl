// dense.cl: the general matrix product behind the dense (fully connected) layer.
// CPU twins: CpuOps.denseForward, CpuOps.denseBackwardInput, CpuOps.denseBackwardWeights.
//
// Versions:
//   v1  dense_gemm_v1: out[m][j] = (hasBias ? bias[j] : 0) + sum_{t < T} A(m, t) * B(t, j), tiled: each
//       work-group loads a GEMM_TILE x GEMM_TILE tile of A and of B into local memory per step of t.
//       A(m, t) = a[m*aRow + t*aCol] and B(t, j) = b[t*bRow + j*bCol], so one kernel serves all three
//       products through strides (the host picks them, see org.convcl.cl.DenseLaunch):
//         forward        out[N][O] = input[N][F] * weights[O][F]^T + bias
//         backward input gradInput[N][F] = gradOutput[N][O] * weights[O][F]
//         backward wts   gradWeights[O][F] = gradOutput[N][O]^T * input[N][F]
//
//   v2  dense_gemm_v2: the same product, register-blocked with no local memory: each work-item computes a
//       GEMM_RM x GEMM_RN block of out from GEMM_RM values of A and GEMM_RN of B per step of t (each value
//       read once serves GEMM_RN or GEMM_RM multiply-adds). Sums in ascending t, as v1. No barriers, which
//       CPU OpenCL devices (PoCL) run far faster than v1's two barriers per tile.
//
// Layouts: a, b row-major with the strides above; bias [cols] (read only when hasBias); out [rows][cols].
// NDRange v1: global (roundUp(cols, GEMM_TILE), roundUp(rows, GEMM_TILE)), local (GEMM_TILE, GEMM_TILE);
//             gid0 = j (column), gid1 = m (row).
// NDRange v2: global (roundUp(ceil(cols/GEMM_RN), WG), ceil(rows/GEMM_RM)), local (WG, 1);
//             gid0 = column block, gid1 = row block.

#ifndef GEMM_TILE
#define GEMM_TILE 16
#endif

#ifndef GEMM_RM
#define GEMM_RM 4  // rows of out per work-item in v2
#endif

#ifndef GEMM_RN
#define GEMM_RN 4  // columns of out per work-item in v2
#endif

__kernel void dense_gemm_v1(__global const float* a, const int aRow, const int aCol, __global const float* b,
                            const int bRow, const int bCol, __global const float* bias, const int hasBias,
                            __global float* out, const int rows, const int cols, const int T) {
  __local float tileA[GEMM_TILE][GEMM_TILE];  // [m][t]
  __local float tileB[GEMM_TILE][GEMM_TILE];  // [t][j]
  const int lj = get_local_id(0);
  const int lm = get_local_id(1);
  const int j = get_global_id(0);
  const int m = get_global_id(1);
  const int m0 = get_group_id(1) * GEMM_TILE;
  const int j0 = get_group_id(0) * GEMM_TILE;
  float acc = 0.0f;
  for (int t0 = 0; t0 < T; t0 += GEMM_TILE) {
    // Work-item (lj, lm) loads A(m0 + lm, t0 + lj) and B(t0 + lm, j0 + lj); cells past the edge are 0.
    const int ta = t0 + lj;
    const int tb = t0 + lm;
    tileA[lm][lj] = (m0 + lm < rows && ta < T) ? a[(size_t)(m0 + lm) * aRow + (size_t)ta * aCol] : 0.0f;
    tileB[lm][lj] = (tb < T && j0 + lj < cols) ? b[(size_t)tb * bRow + (size_t)(j0 + lj) * bCol] : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int t = 0; t < GEMM_TILE; t++) {
      acc += tileA[lm][t] * tileB[t][lj];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (m < rows && j < cols) {
    out[(size_t)m * cols + j] = hasBias ? acc + bias[j] : acc;
  }
}

__kernel void dense_gemm_v2(__global const float* a, const int aRow, const int aCol, __global const float* b,
                            const int bRow, const int bCol, __global const float* bias, const int hasBias,
                            __global float* out, const int rows, const int cols, const int T) {
  const int j0 = get_global_id(0) * GEMM_RN;
  const int m0 = get_global_id(1) * GEMM_RM;
  if (j0 >= cols || m0 >= rows) {
    return;
  }
  // Rows and columns past the edge read the last valid one (so every load is in bounds) and are not stored.
  size_t aBase[GEMM_RM];
  for (int i = 0; i < GEMM_RM; i++) {
    aBase[i] = (size_t)min(m0 + i, rows - 1) * aRow;
  }
  size_t bBase[GEMM_RN];
  for (int jj = 0; jj < GEMM_RN; jj++) {
    bBase[jj] = (size_t)min(j0 + jj, cols - 1) * bCol;
  }
  float acc[GEMM_RM][GEMM_RN];
  for (int i = 0; i < GEMM_RM; i++) {
    for (int jj = 0; jj < GEMM_RN; jj++) {
      acc[i][jj] = 0.0f;
    }
  }
  for (int t = 0; t < T; t++) {
    float av[GEMM_RM];
    float bv[GEMM_RN];
    for (int i = 0; i < GEMM_RM; i++) {
      av[i] = a[aBase[i] + (size_t)t * aCol];
    }
    for (int jj = 0; jj < GEMM_RN; jj++) {
      bv[jj] = b[(size_t)t * bRow + bBase[jj]];
    }
    for (int i = 0; i < GEMM_RM; i++) {
      for (int jj = 0; jj < GEMM_RN; jj++) {
        acc[i][jj] += av[i] * bv[jj];
      }
    }
  }
  for (int i = 0; i < GEMM_RM && m0 + i < rows; i++) {
    for (int jj = 0; jj < GEMM_RN && j0 + jj < cols; jj++) {
      out[(size_t)(m0 + i) * cols + j0 + jj] = hasBias ? acc[i][jj] + bias[j0 + jj] : acc[i][jj];
    }
  }
}
