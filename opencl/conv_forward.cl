// conv_forward.cl: the convolution forward pass (a cross-correlation). CPU twin: CpuOps.convForward.
//
// Versions:
//   v1  conv_forward_v1: one work-item per output element, direct loops over (c', r, s).
//   v2  conv_forward_v2: one work-item per CONV_KB filters x 8 adjacent output columns, register-blocked:
//       each input vector (8 columns via conv_load8: one vload8 at stride 1, one vload16 at stride 2, when
//       inside the row) is used for CONV_KB filters, each weight for 8 columns. Same terms in the same
//       (c', r, s) order as v1, with one difference: v1 skips every tap that falls in the padding, v2 skips
//       padded rows but adds 0*w for a padded column (the masked lane of conv_load8), as CpuOps.convForward's
//       im2col does for every padded tap. For finite weights 0*w is a zero, so v1 and v2 give the same value
//       (up to the sign of a zero result); an infinite or NaN weight makes 0*w NaN, so there v2 and the CPU
//       give NaN where v1 can stay finite.
//
// Formula (g = k / (K/groups), c = g*(C/groups) + c'):
//   output[n][k][oh][ow] = act(bias[k] + sum_{c' < C/groups, r < R, s < S} input[n][c][ih][iw] * weights[k][c'][r][s])
//   with act the fused epilogue (common.cl EPILOGUE: none, ReLU or leaky ReLU, a kernel argument).
//   ih = oh*strideH - padTop + r*dilationH, iw = ow*strideW - padLeft + s*dilationW; cells outside read 0.
//
// Layouts: input [N][C][H][W], weights [K][C/groups][R][S], bias [K] (read only when hasBias),
//          output [N][K][outH][outW].
// NDRange v1: global (roundUp(outH*outW), K, N); gid0 = oh*outW + ow, gid1 = k, gid2 = n. Any local size.
// NDRange v2: global (roundUp(outH*ceil(outW/8)), groups*ceil((K/groups)/CONV_KB), N);
//             gid0 = oh*ceil(outW/8) + column block, gid1 = g*blocksPerGroup + filter block, gid2 = n.

#ifndef CONV_KB
#define CONV_KB 8  // filters per work-item in v2
#endif

__kernel void conv_forward_v1(__global const float* input, __global const float* weights,
                              __global const float* bias, const int hasBias, EPILOGUE_PARAMS,
                              __global float* output, CONV_GEOMETRY_PARAMS) {
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
  output[((size_t)n * K + k) * outH * outW + p] = EPILOGUE(float, acc);
}

__kernel void conv_forward_v2(__global const float* input, __global const float* weights,
                              __global const float* bias, const int hasBias, EPILOGUE_PARAMS,
                              __global float* output, CONV_GEOMETRY_PARAMS) {
  const int colBlocks = (outW + 7) / 8;
  const int p = get_global_id(0);
  const int n = get_global_id(2);
  if (p >= outH * colBlocks) {
    return;
  }
  const int oh = p / colBlocks;
  const int ow0 = (p - oh * colBlocks) * 8;
  const int cg = C / groups;
  const int kg = K / groups;
  const int blocksPerGroup = (kg + CONV_KB - 1) / CONV_KB;
  const int g = get_global_id(1) / blocksPerGroup;
  const int k0 = g * kg + (get_global_id(1) - g * blocksPerGroup) * CONV_KB;
  const int kCount = min(CONV_KB, g * kg + kg - k0);
  const int rs = R * S;
  float8 acc[CONV_KB];
  for (int kb = 0; kb < CONV_KB; kb++) {
    acc[kb] = (float8)(0.0f);
  }
  for (int cc = 0; cc < cg; cc++) {
    __global const float* in = input + ((size_t)n * C + g * cg + cc) * H * W;
    __global const float* wt = weights + ((size_t)k0 * cg + cc) * rs;
    for (int r = 0; r < R; r++) {
      const int ih = oh * strideH - padTop + r * dilationH;
      if (ih < 0 || ih >= H) {
        continue;
      }
      for (int s = 0; s < S; s++) {
        const float8 x = conv_load8(in + ih * W, ow0 * strideW - padLeft + s * dilationW, strideW, W);
        for (int kb = 0; kb < CONV_KB; kb++) {
          const float w = kb < kCount ? wt[(size_t)kb * cg * rs + r * S + s] : 0.0f;
          acc[kb] += x * w;
        }
      }
    }
  }
  for (int kb = 0; kb < kCount; kb++) {
    const float b = hasBias ? bias[k0 + kb] : 0.0f;
    const float8 y = acc[kb] + b;
    float v[8];
    vstore8(EPILOGUE(float8, y), 0, v);
    __global float* out = output + (((size_t)n * K + k0 + kb) * outH + oh) * outW;
    for (int j = 0; j < 8 && ow0 + j < outW; j++) {
      out[ow0 + j] = v[j];
    }
  }
}
