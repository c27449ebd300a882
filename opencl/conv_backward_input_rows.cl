// conv_backward_input_rows.cl: the input gradient of a convolution, BI_COLS input columns x BI_CB input channels
// per work-item over zero-widened gradOutput rows, for layers with few input channels (LeNet's first layer: C = 1;
// the 7x7 stride-2 stem: C = 3). CPU twin: CpuOps.convBackwardInput. Registered as conv_backward_input_rows_v1 and
// conv_backward_input_rows_v2 (ClImplementations).
//
// Versions:
//   v1  conv_backward_input_rows_v1: the host first copies gradOutput into gradPad, each row widened with zeros
//       (elementwise.cl pad_columns_v2), so every tap reads a whole vector with no bounds test; rows that no
//       window reaches are skipped by the r range, not tested per tap. The filters of the work-group's BI_CB
//       channels are staged once in local memory; each tap is one vload of BI_COLS columns of gradPad times
//       one filter value per channel. Stride 1 only. Sums in (k, r, s) order.
//   v2  conv_backward_input_rows_v2: any stride. The BI_COLS columns of a work-item share one phase modulo
//       strideW (iw = phase + (BI_COLS*block + j)*strideW, j < BI_COLS), and the row ih is fixed, so whether a
//       tap (r, s) reaches them is the same for every lane: the loops visit the taps that do (strideH*strideW
//       times fewer than v1's), and for each of them the BI_COLS gradOutput columns are adjacent, one vload of
//       gradPad. Loops (r, s) outside, k inside, filters staged as [R][S][K/groups][BI_CB]: sums in (r, s, k)
//       order. For stride 1 the mapping, gradPad and NDRange are v1's.
//
// Formula (g = c / (C/groups), c' = c - g*(C/groups)):
//   gradInput[n][c][ih][iw] = sum_{k in group g, r, s : oh, ow exact, 0 <= oh < outH, 0 <= ow < outW}
//                             gradOutput[n][k][oh][ow] * weights[k][c'][r][s]
//   with oh = (ih + padTop - r*dilationH)/strideH, ow = (iw + padLeft - s*dilationW)/strideW, exact divisions
//   only (v1: strides 1). Cells that no window reads get 0.
//   gradPad[n][k][oh][q] = gradOutput[n][k][oh][q - L] where 0 <= q - L < outW, else 0, L = floor((S-1)*
//   dilationW/strideW) zeros before each row; padW = L + floor((strideW-1 + padLeft)/strideW) + BI_COLS*B
//   columns (B below), so the column read for lane j of a tap, q = L + ow, always lies inside its row (for
//   stride 1: L = (S-1)*dilationW, padW = roundUp(W, BI_COLS) + padLeft + (S-1)*dilationW).
//
// Layouts: gradPad [N][K][outH][padW], weights [K][C/groups][R][S], gradInput [N][C][H][W];
//          filters (local) v1 [K/groups][BI_CB][R][S], v2 [R][S][K/groups][BI_CB] floats, zero for channels past
//          the group's end.
// NDRange: global (roundUp(H*strideW*B), groups*ceil((C/groups)/BI_CB), N) with B = ceil(ceil(W/strideW)/BI_COLS)
//          column blocks per phase; gid0 = (ih*strideW + phase)*B + block, gid1 = g*blocksPerGroup + channel block,
//          gid2 = n. Any local size along dimension 0 (the group stages its filters together), 1 along the others.

#ifndef BI_COLS
#define BI_COLS 8  // input columns per work-item: 4, 8 or 16 (one OpenCL vector)
#endif
#ifndef BI_CB
#define BI_CB 1  // input channels per work-item
#endif

#define BI_JOIN2(a, b) a##b
#define BI_JOIN(a, b) BI_JOIN2(a, b)
#define bi_vec BI_JOIN(float, BI_COLS)
#define bi_vload BI_JOIN(vload, BI_COLS)
#define bi_vstore BI_JOIN(vstore, BI_COLS)

// Stages weights[g*kg + kk][cc0 + cb][r][s] as filters[(kk*BI_CB + cb)*rs + t], t = r*S + s.
inline void stage_filters(__local float* filters, __global const float* weights, int g, int kg, int cg, int cc0,
                          int rs) {
  const int count = kg * BI_CB * rs;
  for (int i = get_local_id(0); i < count; i += get_local_size(0)) {
    const int t = i % rs;
    const int cb = (i / rs) % BI_CB;
    const int kk = i / (rs * BI_CB);
    filters[i] = cc0 + cb < cg ? weights[((size_t)(g * kg + kk) * cg + cc0 + cb) * rs + t] : 0.0f;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
}

// Lane j of acc[cb] goes to gradInput[n][c0 + cb][ih][iw0 + j], for the lanes inside the row.
inline void store_columns(__global float* gradInput, const bi_vec* acc, int cCount, size_t plane0, int ih, int iw0,
                          int H, int W) {
  for (int cb = 0; cb < cCount; cb++) {
    __global float* out = gradInput + ((plane0 + cb) * H + ih) * W + iw0;
    if (iw0 + BI_COLS <= W) {
      bi_vstore(acc[cb], 0, out);
    } else {
      float v[BI_COLS];
      bi_vstore(acc[cb], 0, v);
      for (int j = 0; iw0 + j < W; j++) {
        out[j] = v[j];
      }
    }
  }
}

__kernel void conv_backward_input_rows_v1(__global const float* gradPad, __global const float* weights,
                                          __global float* gradInput, __local float* filters, const int padW,
                                          CONV_GEOMETRY_PARAMS) {
  const int blocks = (W + BI_COLS - 1) / BI_COLS;
  const int p = get_global_id(0);
  const int n = get_global_id(2);
  const int cg = C / groups;
  const int kg = K / groups;
  const int blocksPerGroup = (cg + BI_CB - 1) / BI_CB;
  const int g = get_global_id(1) / blocksPerGroup;
  const int cc0 = (get_global_id(1) - g * blocksPerGroup) * BI_CB;
  const int rs = R * S;
  stage_filters(filters, weights, g, kg, cg, cc0, rs);  // every work-item of the group, before any returns
  if (p >= H * blocks) {
    return;
  }
  const int ih = p / blocks;
  const int iw0 = (p - ih * blocks) * BI_COLS;
  const int top = ih + padTop;  // oh = top - r*dilationH
  const int rFirst = top >= outH ? (top - outH + dilationH) / dilationH : 0;  // first r with oh < outH
  const int rLast = min(R - 1, top / dilationH);                              // last r with oh >= 0
  bi_vec acc[BI_CB];
  for (int cb = 0; cb < BI_CB; cb++) {
    acc[cb] = (bi_vec)(0.0f);
  }
  for (int kk = 0; kk < kg; kk++) {
    __global const float* plane =
        gradPad + ((size_t)n * K + g * kg + kk) * outH * padW + iw0 + padLeft + (S - 1) * dilationW;
    __local const float* f = filters + kk * BI_CB * rs;
    for (int r = rFirst; r <= rLast; r++) {
      __global const float* row = plane + (size_t)(top - r * dilationH) * padW;
      for (int s = 0; s < S; s++) {
        const bi_vec dy = bi_vload(0, row - s * dilationW);
        for (int cb = 0; cb < BI_CB; cb++) {
          acc[cb] += dy * f[cb * rs + r * S + s];
        }
      }
    }
  }
  const int cCount = min(BI_CB, cg - cc0);
  store_columns(gradInput, acc, cCount, (size_t)n * C + g * cg + cc0, ih, iw0, H, W);
}

// v2: stages weights[g*kg + kk][cc0 + cb][r][s] as filters[(t*kg + kk)*BI_CB + cb], t = r*S + s.
inline void stage_filters_by_tap(__local float* filters, __global const float* weights, int g, int kg, int cg,
                                 int cc0, int rs) {
  const int count = rs * kg * BI_CB;
  for (int i = get_local_id(0); i < count; i += get_local_size(0)) {
    const int cb = i % BI_CB;
    const int kk = (i / BI_CB) % kg;
    const int t = i / (BI_CB * kg);
    filters[i] = cc0 + cb < cg ? weights[((size_t)(g * kg + kk) * cg + cc0 + cb) * rs + t] : 0.0f;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
}

__kernel void conv_backward_input_rows_v2(__global const float* gradPad, __global const float* weights,
                                          __global float* gradInput, __local float* filters, const int padW,
                                          CONV_GEOMETRY_PARAMS) {
  const int blocks = ((W + strideW - 1) / strideW + BI_COLS - 1) / BI_COLS;
  const int p = get_global_id(0);
  const int n = get_global_id(2);
  const int cg = C / groups;
  const int kg = K / groups;
  const int blocksPerGroup = (cg + BI_CB - 1) / BI_CB;
  const int g = get_global_id(1) / blocksPerGroup;
  const int cc0 = (get_global_id(1) - g * blocksPerGroup) * BI_CB;
  const int rs = R * S;
  stage_filters_by_tap(filters, weights, g, kg, cg, cc0, rs);  // every work-item of the group, before any returns
  if (p >= H * strideW * blocks) {
    return;
  }
  const int ih = p / (strideW * blocks);
  const int phase = (p / blocks) % strideW;
  const int lane0 = (p % blocks) * BI_COLS;  // lane j: iw = phase + (lane0 + j)*strideW
  const int left = (S - 1) * dilationW / strideW;
  const size_t planeSize = (size_t)outH * padW;
  __global const float* image = gradPad + ((size_t)n * K + g * kg) * planeSize + left + lane0;
  bi_vec acc[BI_CB];
  for (int cb = 0; cb < BI_CB; cb++) {
    acc[cb] = (bi_vec)(0.0f);
  }
  for (int r = 0; r < R; r++) {
    const int th = ih + padTop - r * dilationH;
    if (th < 0 || th % strideH != 0 || th / strideH >= outH) {
      continue;  // the same for every lane
    }
    __global const float* rowStart = image + (size_t)(th / strideH) * padW;
    for (int s = 0; s < S; s++) {
      const int tw = phase + padLeft - s * dilationW;  // lane j: tw + (lane0 + j)*strideW
      if (tw % strideW != 0) {
        continue;  // no lane of this phase is reached by column s (C's % keeps the sign: 0 only when exact)
      }
      __global const float* row = rowStart + tw / strideW;
      __local const float* f = filters + (r * S + s) * kg * BI_CB;
      for (int kk = 0; kk < kg; kk++) {
        const bi_vec dy = bi_vload(0, row + kk * planeSize);
        for (int cb = 0; cb < BI_CB; cb++) {
          acc[cb] += dy * f[kk * BI_CB + cb];
        }
      }
    }
  }
  const int cCount = min(BI_CB, cg - cc0);
  const size_t plane0 = (size_t)n * C + g * cg + cc0;
  if (strideW == 1) {
    store_columns(gradInput, acc, cCount, plane0, ih, lane0, H, W);
    return;
  }
  for (int cb = 0; cb < cCount; cb++) {
    float v[BI_COLS];
    bi_vstore(acc[cb], 0, v);
    __global float* out = gradInput + ((plane0 + cb) * H + ih) * W;
    for (int j = 0; j < BI_COLS && phase + (lane0 + j) * strideW < W; j++) {
      out[phase + (lane0 + j) * strideW] = v[j];
    }
  }
}
