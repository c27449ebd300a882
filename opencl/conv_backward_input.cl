// conv_backward_input.cl: the gradient of the loss with respect to the convolution input.
// CPU twin: CpuOps.convBackwardInput.
//
// Versions:
//   v1  conv_backward_input_v1: one work-item per input element gathers every (k, r, s) whose window reads
//       it, so no two work-items write the same cell and no atomics are needed.
//
// Formula: the full convolution of gradOutput (stride-1 zeros spread between its entries) with the
// 180-degree-rotated filter, cropped by the padding. Per cell (g = c / (C/groups), c' = c - g*(C/groups)):
//   gradInput[n][c][ih][iw] = sum_{k in group g, r, s : oh, ow valid} gradOutput[n][k][oh][ow] * weights[k][c'][r][s]
//   with oh = (ih + padTop - r*dilationH) / strideH when that division is exact and 0 <= oh < outH
//   (likewise ow). Cells that no window reads get exactly 0.
//
// Layouts: gradOutput [N][K][outH][outW], weights [K][C/groups][R][S], gradInput [N][C][H][W].
// NDRange: global (roundUp(H*W), C, N); gid0 = ih*W + iw, gid1 = c, gid2 = n. Any local size.

__kernel void conv_backward_input_v1(__global const float* gradOutput, __global const float* weights,
                                     __global float* gradInput, CONV_GEOMETRY_PARAMS) {
  const int p = get_global_id(0);
  const int c = get_global_id(1);
  const int n = get_global_id(2);
  if (p >= H * W) {
    return;
  }
  const int ih = p / W;
  const int iw = p - ih * W;
  const int cg = C / groups;
  const int kg = K / groups;
  const int g = c / cg;
  const int cc = c - g * cg;
  float acc = 0.0f;
  for (int r = 0; r < R; r++) {
    const int th = ih + padTop - r * dilationH;
    if (th < 0) {
      break;  // th only decreases with r
    }
    const int oh = th / strideH;
    if (oh * strideH != th || oh >= outH) {
      continue;
    }
    for (int s = 0; s < S; s++) {
      const int tw = iw + padLeft - s * dilationW;
      if (tw < 0) {
        break;
      }
      const int ow = tw / strideW;
      if (ow * strideW != tw || ow >= outW) {
        continue;
      }
      for (int kk = 0; kk < kg; kk++) {
        const int k = g * kg + kk;
        acc += gradOutput[(((size_t)n * K + k) * outH + oh) * outW + ow] *
               weights[(((size_t)k * cg + cc) * R + r) * S + s];
      }
    }
  }
  gradInput[((size_t)n * C + c) * H * W + p] = acc;
}
