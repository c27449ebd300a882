// conv_backward_input.cl: the gradient of the loss with respect to the convolution input.
// CPU twin: CpuOps.convBackwardInput.
//
// Versions:
//   v1  conv_backward_input_v1: one work-item per input element gathers every (k, r, s) whose window reads
//       it, so no two work-items write the same cell and no atomics are needed.
//   v3  conv_backward_input_v3: the same gather for CONV_CB input channels x 8 columns per work-item, the 8
//       columns sharing one phase modulo strideW (iw = phase + (8*block + j)*strideW). Then for each s either
//       all 8 lanes or none have an exact ow = (iw + padLeft - s*dilationW) / strideW, and those ow are
//       adjacent: one vload8 of gradOutput serves CONV_CB channels. Sums in (k, r, s) order. (A v2 that
//       gathered 8 adjacent columns lane by lane was removed: v3 equals it at stride 1 and loads vectors
//       where it gathered at larger strides.)
//
// Formula: the full convolution of gradOutput (stride-1 zeros spread between its entries) with the
// 180-degree-rotated filter, cropped by the padding. Per cell (g = c / (C/groups), c' = c - g*(C/groups)):
//   gradInput[n][c][ih][iw] = sum_{k in group g, r, s : oh, ow valid} gradOutput[n][k][oh][ow] * weights[k][c'][r][s]
//   with oh = (ih + padTop - r*dilationH) / strideH when that division is exact and 0 <= oh < outH
//   (likewise ow). Cells that no window reads get exactly 0.
//
// Layouts: gradOutput [N][K][outH][outW], weights [K][C/groups][R][S], gradInput [N][C][H][W].
// NDRange v1: global (roundUp(H*W), C, N); gid0 = ih*W + iw, gid1 = c, gid2 = n. Any local size.
// NDRange v3: global (roundUp(H*strideW*B), groups*ceil((C/groups)/CONV_CB), N) with
//             B = ceil(ceil(W/strideW)/8) blocks per phase; gid0 = (ih*strideW + phase)*B + block,
//             gid1 = g*blocksPerGroup + channel block, gid2 = n.

#ifndef CONV_CB
#define CONV_CB 8  // input channels per work-item in v3
#endif


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

// v3: acc[cb] += dy * weights[k][cc0 + cb][r][s] for the cCount channels of this block; wtTap points
// at weights[k][cc0][r][s], consecutive channels rs apart.
inline void accumulate_block(float8* acc, float8 dy, __global const float* wtTap, int rs, int cCount) {
  for (int cb = 0; cb < CONV_CB; cb++) {
    if (cb < cCount) {
      acc[cb] += dy * wtTap[(size_t)cb * rs];
    }
  }
}

// v3: lane j of acc[cb] goes to gradInput[n][c0 + cb][ih][first + j*step], for the lanes inside the row.
inline void store_block(__global float* gradInput, const float8* acc, int cCount, int n, int c0, int ih, int first,
                        int step, int C, int H, int W) {
  for (int cb = 0; cb < cCount; cb++) {
    float v[8];
    vstore8(acc[cb], 0, v);
    __global float* out = gradInput + (((size_t)n * C + c0 + cb) * H + ih) * W;
    for (int j = 0; j < 8 && first + j * step < W; j++) {
      out[first + j * step] = v[j];
    }
  }
}


// row[o0 + j] for 0 <= o0 + j < count, else 0.
inline float8 load8_range(__global const float* row, int o0, int count) {
  if (o0 >= 0 && o0 + 7 < count) {
    return vload8(0, row + o0);
  }
  float v[8];
  for (int j = 0; j < 8; j++) {
    const int o = o0 + j;
    v[j] = (o >= 0 && o < count) ? row[o] : 0.0f;
  }
  return vload8(0, v);
}

__kernel void conv_backward_input_v3(__global const float* gradOutput, __global const float* weights,
                                     __global float* gradInput, CONV_GEOMETRY_PARAMS) {
  const int blocks = ((W + strideW - 1) / strideW + 7) / 8;
  const int p = get_global_id(0);
  const int n = get_global_id(2);
  if (p >= H * strideW * blocks) {
    return;
  }
  const int ih = p / (strideW * blocks);
  const int phase = (p / blocks) % strideW;
  const int iwFirst = phase + (p % blocks) * 8 * strideW;  // lane j: iwFirst + j*strideW
  const int cg = C / groups;
  const int kg = K / groups;
  const int blocksPerGroup = (cg + CONV_CB - 1) / CONV_CB;
  const int g = get_global_id(1) / blocksPerGroup;
  const int cc0 = (get_global_id(1) - g * blocksPerGroup) * CONV_CB;
  const int cCount = min(CONV_CB, cg - cc0);
  const int rs = R * S;
  float8 acc[CONV_CB];
  for (int cb = 0; cb < CONV_CB; cb++) {
    acc[cb] = (float8)(0.0f);
  }
  if (iwFirst < W) {
    for (int kk = 0; kk < kg; kk++) {
      const int k = g * kg + kk;
      __global const float* dyPlane = gradOutput + ((size_t)n * K + k) * outH * outW;
      __global const float* wt = weights + ((size_t)k * cg + cc0) * rs;
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
          const int tw = iwFirst + padLeft - s * dilationW;  // lane j: tw + j*strideW
          const int ow = tw >= 0 ? tw / strideW : -((-tw) / strideW);  // exact when tw % strideW == 0
          if (ow * strideW != tw) {
            continue;  // no lane of this phase is reached by column s
          }
          const float8 dy = load8_range(dyPlane + oh * outW, ow, outW);
          accumulate_block(acc, dy, wt + r * S + s, rs, cCount);
        }
      }
    }
  }
  store_block(gradInput, acc, cCount, n, g * cg + cc0, ih, iwFirst, strideW, C, H, W);
}
