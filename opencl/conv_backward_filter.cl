// conv_backward_filter.cl: the weight and bias gradients of a convolution.
// CPU twins: CpuOps.convBackwardFilter, CpuOps.biasBackward.
//
// Versions:
//   v1  conv_backward_filter_partial_v1: the reduction over q = (n, oh, ow) in [0, N*outH*outW) is cut into
//       `chunks` contiguous ranges of chunkLen; work-item (e, j) sums range j for weight element e into
//       partial[j][e]. reduce.cl's reduce_chunks_v1 then adds the chunks in ascending j: a fixed order,
//       so the result is the same on every run (no atomics).
//   v2  conv_backward_filter_partial_v2: the reduction is cut into chunks of rows (n, oh) of gradOutput
//       instead; work-item (b, c', r, s, j) handles CONV_KB filters of block b and walks each row 8 columns
//       at a time with float8 accumulators (one input vector serves CONV_KB filters), then adds the 8 lanes
//       in a fixed order. Its partial layout is v1's, so reduce_chunks_v1 finishes it the same way.
//   v1  bias_backward_partial_v1: the same split for gradBias[k] = sum_{n, p} gradOutput[n][k][p].
//
// Formula (e = ((k*(C/groups) + c')*R + r)*S + s, g = k / (K/groups), c = g*(C/groups) + c'):
//   gradWeights[k][c'][r][s] = sum_{n, oh, ow} gradOutput[n][k][oh][ow] * input[n][c][ih][iw]
//   ih = oh*strideH - padTop + r*dilationH, iw = ow*strideW - padLeft + s*dilationW (outside reads 0).
//
// Layouts: input [N][C][H][W], gradOutput [N][K][outH][outW], partial [chunks][K*(C/groups)*R*S];
//          bias: gradOutput [N][K][P] (P = product of the trailing dimensions, 1 for dense), partial [chunks][K].
// NDRange: filter v1 global (roundUp(K*(C/groups)*R*S), chunks), gid0 = e, gid1 = j;
//          filter v2 global (roundUp(groups*blocksPerGroup*(C/groups)*R*S), chunks), blocksPerGroup =
//          ceil((K/groups)/CONV_KB), gid0 = ((b*(C/groups) + c')*R + r)*S + s, gid1 = j (chunkLen rows each);
//          bias global (roundUp(K), chunks), gid0 = k, gid1 = j.

__kernel void conv_backward_filter_partial_v1(__global const float* input, __global const float* gradOutput,
                                              __global float* partial, const int chunkLen,
                                              CONV_GEOMETRY_PARAMS) {
  const int e = get_global_id(0);
  const int j = get_global_id(1);
  const int cg = C / groups;
  const int weightCount = K * cg * R * S;
  if (e >= weightCount) {
    return;
  }
  const int s = e % S;
  const int r = (e / S) % R;
  const int cc = (e / (S * R)) % cg;
  const int k = e / (S * R * cg);
  const int c = (k / (K / groups)) * cg + cc;
  const int plane = outH * outW;
  const int q0 = j * chunkLen;
  // Not min(q0 + chunkLen, total): q0 + chunkLen may pass 2^31 when the total is near it.
  const int q1 = q0 + min(chunkLen, N * plane - q0);
  // Walk (n, oh, ow) incrementally from q0 instead of dividing per step.
  int n = q0 / plane;
  int oh = (q0 - n * plane) / outW;
  int ow = q0 - n * plane - oh * outW;
  float acc = 0.0f;
  for (int q = q0; q < q1; q++) {
    const int ih = oh * strideH - padTop + r * dilationH;
    const int iw = ow * strideW - padLeft + s * dilationW;
    if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
      acc += gradOutput[(((size_t)n * K + k) * outH + oh) * outW + ow] *
             input[(((size_t)n * C + c) * H + ih) * W + iw];
    }
    if (++ow == outW) {
      ow = 0;
      if (++oh == outH) {
        oh = 0;
        n++;
      }
    }
  }
  partial[(size_t)j * weightCount + e] = acc;
}

#ifndef CONV_KB
#define CONV_KB 8  // filters per work-item in v2
#endif

__kernel void conv_backward_filter_partial_v2(__global const float* input, __global const float* gradOutput,
                                              __global float* partial, const int chunkLen,
                                              CONV_GEOMETRY_PARAMS) {
  const int cg = C / groups;
  const int kg = K / groups;
  const int blocksPerGroup = (kg + CONV_KB - 1) / CONV_KB;
  const int e = get_global_id(0);
  const int j = get_global_id(1);
  if (e >= groups * blocksPerGroup * cg * R * S) {
    return;
  }
  const int s = e % S;
  const int r = (e / S) % R;
  const int cc = (e / (S * R)) % cg;
  const int block = e / (S * R * cg);
  const int g = block / blocksPerGroup;
  const int k0 = g * kg + (block - g * blocksPerGroup) * CONV_KB;
  const int kCount = min(CONV_KB, g * kg + kg - k0);
  const int c = g * cg + cc;
  const int row0 = j * chunkLen;
  const int row1 = row0 + min(chunkLen, N * outH - row0);  // no int overflow near 2^31, as in v1
  float8 acc[CONV_KB];
  for (int kb = 0; kb < CONV_KB; kb++) {
    acc[kb] = (float8)(0.0f);
  }
  for (int row = row0; row < row1; row++) {
    const int n = row / outH;
    const int oh = row - n * outH;
    const int ih = oh * strideH - padTop + r * dilationH;
    if (ih < 0 || ih >= H) {
      continue;
    }
    __global const float* in = input + (((size_t)n * C + c) * H + ih) * W;
    __global const float* dy = gradOutput + (((size_t)n * K + k0) * outH + oh) * outW;
    for (int ow0 = 0; ow0 < outW; ow0 += 8) {
      const float8 x = conv_load8(in, ow0 * strideW - padLeft + s * dilationW, strideW, W);
      for (int kb = 0; kb < CONV_KB; kb++) {  // a constant trip count keeps acc in registers
        if (kb < kCount) {
          acc[kb] += load8_masked(dy + (size_t)kb * outH * outW, ow0, outW) * x;
        }
      }
    }
  }
  const int weightCount = K * cg * R * S;
  for (int kb = 0; kb < kCount; kb++) {
    partial[(size_t)j * weightCount + (((size_t)(k0 + kb) * cg + cc) * R + r) * S + s] = sum8(acc[kb]);
  }
}

__kernel void bias_backward_partial_v1(__global const float* gradOutput, __global float* partial,
                                       const int N, const int K, const int P, const int chunkLen) {
  const int k = get_global_id(0);
  const int j = get_global_id(1);
  if (k >= K) {
    return;
  }
  const int q0 = j * chunkLen;
  const int q1 = q0 + min(chunkLen, N * P - q0);  // no int overflow near 2^31, as in the filter
  float acc = 0.0f;
  for (int q = q0; q < q1; q++) {
    const int n = q / P;
    acc += gradOutput[((size_t)n * K + k) * P + (q - n * P)];
  }
  partial[(size_t)j * K + k] = acc;
}
