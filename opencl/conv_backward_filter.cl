// conv_backward_filter.cl: the weight and bias gradients of a convolution.
// CPU twins: CpuOps.convBackwardFilter, CpuOps.biasBackward.
//
// Versions:
//   v1  conv_backward_filter_partial_v1: the reduction over q = (n, oh, ow) in [0, N*outH*outW) is cut into
//       `chunks` contiguous ranges of chunkLen; work-item (e, j) sums range j for weight element e into
//       partial[j][e]. reduce.cl's reduce_chunks_v1 then adds the chunks in ascending j: a fixed order,
//       so the result is the same on every run (no atomics).
//   v1  bias_backward_partial_v1: the same split for gradBias[k] = sum_{n, p} gradOutput[n][k][p].
//
// Formula (e = ((k*(C/groups) + c')*R + r)*S + s, g = k / (K/groups), c = g*(C/groups) + c'):
//   gradWeights[k][c'][r][s] = sum_{n, oh, ow} gradOutput[n][k][oh][ow] * input[n][c][ih][iw]
//   ih = oh*strideH - padTop + r*dilationH, iw = ow*strideW - padLeft + s*dilationW (outside reads 0).
//
// Layouts: input [N][C][H][W], gradOutput [N][K][outH][outW], partial [chunks][K*(C/groups)*R*S];
//          bias: gradOutput [N][K][P] (P = product of the trailing dimensions, 1 for dense), partial [chunks][K].
// NDRange: filter global (roundUp(K*(C/groups)*R*S), chunks), gid0 = e, gid1 = j;
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
  const int q1 = min(q0 + chunkLen, N * plane);
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

__kernel void bias_backward_partial_v1(__global const float* gradOutput, __global float* partial,
                                       const int N, const int K, const int P, const int chunkLen) {
  const int k = get_global_id(0);
  const int j = get_global_id(1);
  if (k >= K) {
    return;
  }
  const int q0 = j * chunkLen;
  const int q1 = min(q0 + chunkLen, N * P);
  float acc = 0.0f;
  for (int q = q0; q < q1; q++) {
    const int n = q / P;
    acc += gradOutput[((size_t)n * K + k) * P + (q - n * P)];
  }
  partial[(size_t)j * K + k] = acc;
}
