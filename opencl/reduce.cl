// reduce.cl: deterministic reductions. CPU twins: the second pass of CpuOps.convBackwardFilter and
// CpuOps.biasBackward (reduce_chunks_v1), CpuOps.sum (sum_partial_v1).
//
// Versions:
//   v1  reduce_chunks_v1: out[i] = sum_{j = 0 .. chunks-1} partial[j][i], j ascending (a fixed order).
//   v1  sum_partial_v1: partial[j] = sum of x[q0 .. q0 + min(chunkLen, n - q0)), q0 = j*chunkLen, in index order;
//       the host adds the partial sums in double (Ops.sum's contract).
//
// Layouts: partial [chunks][len], out [len]; x [n], partial [ceil(n/chunkLen)].
// NDRange: reduce_chunks_v1 global (roundUp(len)), gid0 = i; sum_partial_v1 global (roundUp(chunks)), gid0 = j.

__kernel void reduce_chunks_v1(__global const float* partial, __global float* out, const int len,
                               const int chunks) {
  const int i = get_global_id(0);
  if (i >= len) {
    return;
  }
  float acc = 0.0f;
  for (int j = 0; j < chunks; j++) {
    acc += partial[(size_t)j * len + i];
  }
  out[i] = acc;
}

__kernel void sum_partial_v1(__global const float* x, __global float* partial, const int n,
                             const int chunkLen, const int chunks) {
  const int j = get_global_id(0);
  if (j >= chunks) {
    return;
  }
  // q0 < n since j < chunks; n - q0 cannot overflow where (j + 1) * chunkLen could (n near 2^31).
  const int i0 = j * chunkLen;
  const int i1 = i0 + min(chunkLen, n - i0);
  float acc = 0.0f;
  for (int i = i0; i < i1; i++) {
    acc += x[i];
  }
  partial[j] = acc;
}
