// conv_forward.cl: the convolution forward pass (a cross-correlation). CPU twin: CpuOps.convForward.
//
// Versions:
//   v1  conv_forward_v1: one work-item per output element, direct loops over (c', r, s).
//
// Formula (g = k / (K/groups), c = g*(C/groups) + c'):
//   output[n][k][oh][ow] = bias[k] + sum_{c' < C/groups, r < R, s < S} input[n][c][ih][iw] * weights[k][c'][r][s]
//   ih = oh*strideH - padTop + r*dilationH, iw = ow*strideW - padLeft + s*dilationW; cells outside read 0.
//
// Layouts: input [N][C][H][W], weights [K][C/groups][R][S], bias [K] (read only when hasBias),
//          output [N][K][outH][outW].
// NDRange: global (roundUp(outH*outW), K, N); gid0 = oh*outW + ow, gid1 = k, gid2 = n. Any local size.

__kernel void conv_forward_v1(__global const float* input, __global const float* weights,
                              __global const float* bias, const int hasBias, __global float* output,
                              CONV_GEOMETRY_PARAMS) {
  const int p = get_global_id(0);
  const int k = get_global_id(1);
  const int n = get_global_id(2);
  if (p >= outH * outW) {
    return;
  }
  const int oh = p / outW;
  const int ow = p - oh * outW;
  const int cg = C / groups;
  const int g = k / (K / groups);
  const int ih0 = oh * strideH - padTop;
  const int iw0 = ow * strideW - padLeft;
  float acc = 0.0f;
  for (int cc = 0; cc < cg; cc++) {
    __global const float* in = input + ((size_t)n * C + g * cg + cc) * H * W;
    __global const float* wt = weights + ((size_t)k * cg + cc) * R * S;
    for (int r = 0; r < R; r++) {
      const int ih = ih0 + r * dilationH;
      if (ih < 0 || ih >= H) {
        continue;
      }
      for (int s = 0; s < S; s++) {
        const int iw = iw0 + s * dilationW;
        if (iw >= 0 && iw < W) {
          acc += in[ih * W + iw] * wt[r * S + s];
        }
      }
    }
  }
  if (hasBias) {
    acc += bias[k];
  }
  output[((size_t)n * K + k) * outH * outW + p] = acc;
}
